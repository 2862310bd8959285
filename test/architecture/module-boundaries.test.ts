import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kernelTables } from '../../src/platform/modules/kernel-tables.ts';
import { appModules } from '../../src/app.ts';

/**
 * Module boundaries, checked on the source: each table is owned by the kernel or by exactly one module; a module's
 * code names only its own tables and the kernel's (it reaches other modules through their exported functions); the
 * kernel names no module's table and imports neither a module nor the web layer.
 */
const root = path.resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

const migrationTables = readdirSync(path.join(root, 'migrations'))
  .filter((f) => f.endsWith('.sql'))
  .flatMap((f) => [...readFileSync(path.join(root, 'migrations', f), 'utf8').matchAll(/CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)/g)].map((m) => m[1] ?? ''));
const dropped = new Set(
  readdirSync(path.join(root, 'migrations'))
    .filter((f) => f.endsWith('.sql'))
    .flatMap((f) => [...readFileSync(path.join(root, 'migrations', f), 'utf8').matchAll(/DROP TABLE (?:IF EXISTS )?([a-z_]+)/g)].map((m) => m[1] ?? '')),
);
const liveTables = [...new Set(migrationTables)].filter((t) => !dropped.has(t) && t !== 'schema_migrations');

/** The tables a file names: as a Kysely table name ('x', 'x as y') or after FROM/JOIN/INTO/UPDATE in SQL text. */
function tablesNamedIn(text: string, candidates: readonly string[]): string[] {
  return candidates.filter((t) => new RegExp(`['"\`]${t}(?: as [a-z_]+)?['"\`]|\\b(?:FROM|JOIN|INTO|UPDATE|from|join|into|update)\\s+${t}\\b`).test(text));
}

const moduleTables: Readonly<Record<string, readonly string[]>> = Object.fromEntries(appModules.map((m) => [m.name, m.tables]));
const owners = new Map<string, string[]>();
for (const t of kernelTables) owners.set(t, [...(owners.get(t) ?? []), 'platform']);
for (const [name, tables] of Object.entries(moduleTables)) for (const t of tables) owners.set(t, [...(owners.get(t) ?? []), name]);

describe('module boundaries', () => {
  it('gives every table exactly one owner', () => {
    expect(liveTables.filter((t) => (owners.get(t) ?? []).length !== 1).map((t) => `${t}: ${(owners.get(t) ?? []).join(', ') || 'no owner'}`)).toEqual([]);
    expect([...owners.keys()].filter((t) => !liveTables.includes(t))).toEqual([]);
  });

  it("lets a module name only its own tables and the kernel's", () => {
    const problems: string[] = [];
    for (const [name, own] of Object.entries(moduleTables)) {
      const foreign = liveTables.filter((t) => !own.includes(t) && !kernelTables.includes(t));
      for (const file of sourceFiles(path.join(root, 'src/modules', name))) {
        for (const t of tablesNamedIn(readFileSync(file, 'utf8'), foreign)) problems.push(`${path.relative(root, file)} names ${t} (${owners.get(t)?.join(', ')})`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("keeps the kernel free of modules' tables and of imports of modules or the web layer", () => {
    const moduleOwned = liveTables.filter((t) => !kernelTables.includes(t));
    const problems: string[] = [];
    for (const file of sourceFiles(path.join(root, 'src/platform'))) {
      const text = readFileSync(file, 'utf8');
      for (const t of tablesNamedIn(text, moduleOwned)) problems.push(`${path.relative(root, file)} names ${t}`);
      for (const m of text.matchAll(/from '(\.[^']*)'/g)) {
        const target = path.relative(root, path.resolve(path.dirname(file), m[1] ?? ''));
        if (/^src\/(modules|web)\//.test(target)) problems.push(`${path.relative(root, file)} imports ${target}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('finds a foreign table when one is named (the check itself works)', () => {
    expect(tablesNamedIn("db.selectFrom('procedure_versions as v')", ['procedure_versions'])).toEqual(['procedure_versions']);
    expect(tablesNamedIn('SELECT 1 FROM procedure_assignments a', ['procedure_assignments'])).toEqual(['procedure_assignments']);
    expect(tablesNamedIn("row.procedure_versions_id; 'procedure_version_id'", ['procedure_versions'])).toEqual([]);
  });
});
