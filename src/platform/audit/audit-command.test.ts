import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/support/test-app.ts';
import { asTableOwner } from '../../../test/support/triggers.ts';
import { createTestDb } from '../../../test/support/test-db.ts';
import type { Config } from '../config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { parseHead, runAuditCommand } from './audit-command.ts';
import { recordAudit, systemActor } from './audit-log.ts';

let h: DatabaseHandle;
let dataDir: string;
let config: Config;
beforeAll(async () => {
  h = await createTestDb();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cqs-audit-cli-'));
  config = testConfig({ CQS_DATA_DIR: dataDir });
});
afterAll(async () => {
  await h.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<{ status: number; lines: string[] }> {
  const lines: string[] = [];
  const status = await runAuditCommand(h.db, config, args, { write: (l) => lines.push(l) });
  return { status, lines };
}

const files = async () => readdir(path.join(dataDir, 'audit-checkpoints')).catch(() => []);

describe('cqs audit', () => {
  it('verify: prints every head, says intact and anchors the log with a checkpoint', async () => {
    const r = await run('verify');
    expect(r.status).toBe(0);
    expect(r.lines.filter((l) => l.startsWith('head '))).toHaveLength(16);
    expect(r.lines).toContain('Audit log intact.');
    expect(r.lines.some((l) => l.startsWith('audit checkpoint '))).toBe(true);
    expect(await files()).toHaveLength(1);
  });

  it('checkpoint: writes nothing while no stream moved, a new one after an event', async () => {
    expect((await run('checkpoint')).lines.join('\n')).toMatch(/nothing written/);
    await h.db.transaction().execute((tx) => recordAudit(tx, systemActor('cli'), { action: 'cli.test', entityType: 'x', entityId: '1' }));
    expect((await run('checkpoint')).status).toBe(0);
    expect(await files()).toHaveLength(2);
  });

  it('verify --head: compares the published head with the event at its position; exits 2 on tampering', async () => {
    const head = (await run('verify')).lines.find((l) => /^head \d+:[1-9]/.test(l))?.slice(5) ?? '';
    expect((await run('verify', '--head', head)).status).toBe(0);
    const [stream, seq] = head.split(':');
    const wrong = `${stream}:${seq}:${'f'.repeat(64)}`;
    const r = await run('verify', '--head', wrong);
    expect(r.status).toBe(2);
    expect(r.lines).toContain(`Audit log TAMPERED: 1 problem(s).`);
    expect(r.lines.some((l) => l.startsWith(`PROBLEM stream ${stream} seq ${seq}: rewritten`))).toBe(true);
  });

  it('verify reports a deleted event from the checkpoint files, and writes no checkpoint then', async () => {
    const before = (await files()).length;
    await asTableOwner(
      h.db,
      'ALTER TABLE audit_events DISABLE TRIGGER ALL',
      'ALTER TABLE audit_seals DISABLE TRIGGER ALL',
      `DELETE FROM audit_seals s USING audit_events e WHERE s.event_seq = e.seq AND s.tenant_id = e.tenant_id AND e.action = 'cli.test' AND e.tenant_id = 1`,
      `DELETE FROM audit_events WHERE action = 'cli.test'`,
      'ALTER TABLE audit_events ENABLE TRIGGER ALL',
      'ALTER TABLE audit_seals ENABLE TRIGGER ALL',
    );
    const r = await run('verify');
    expect(r.status).toBe(2);
    expect(r.lines.some((l) => /PROBLEM .*: (truncated|head_mismatch)/.test(l))).toBe(true);
    expect((await files()).length).toBe(before);
  });

  it('refuses malformed arguments', async () => {
    expect((await run('verify', '--head', '12:abc')).status).toBe(64);
    expect((await run('verify', '--hed', `1:1:${'a'.repeat(64)}`)).status).toBe(64);
    expect((await run('rewind')).status).toBe(64);
    expect(parseHead(`41:${'a'.repeat(64)}`)).toEqual({ stream: 0, seq: 41, hash: 'a'.repeat(64) });
    expect(parseHead(`3:41:${'a'.repeat(64)}`)).toEqual({ stream: 3, seq: 41, hash: 'a'.repeat(64) });
  });
});
