import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { type AuditKey, checkpointDir, type StreamHead, writeCheckpoint } from './checkpoints.ts';
import { sealAll } from './seal-audit-log.ts';
import { verifyAuditLog } from './verify-audit-log.ts';

export interface Output {
  write(line: string): void;
}

export const auditKeyOf = (config: Config): AuditKey => ({ secret: config.auditKey, ephemeral: config.auditKeyEphemeral });

/** `STREAM:SEQ:HASH`, or `SEQ:HASH` for stream 0 (heads published before the log had streams). */
export function parseHead(text: string): StreamHead | null {
  const parts = text.split(':');
  const [stream, seq, hash] = parts.length === 2 ? ['0', ...parts] : parts;
  if (parts.length > 3 || !/^\d{1,2}$/.test(stream ?? '') || !/^\d+$/.test(seq ?? '') || !/^[0-9a-f]{64}$/.test(hash ?? '')) return null;
  return { stream: Number(stream), seq: Number(seq), hash: hash ?? '' };
}

/**
 * `cqs audit verify [--head STREAM:SEQ:HASH]…` and `cqs audit checkpoint`. Both first chain what waits for its seal.
 * Verify prints one line per problem and
 * warning, the head of every stream (to publish), a verdict, and on an intact log anchors it with a checkpoint.
 * Exit status: 0 intact, 2 tampered, 64 bad arguments.
 */
export async function runAuditCommand(db: Db, config: Config, args: readonly string[], out: Output): Promise<number> {
  const [sub, ...rest] = args;
  const options = { key: auditKeyOf(config), dir: checkpointDir(config.dataDir), log: (line: string) => out.write(line) };
  if (sub === 'checkpoint' && rest.length === 0) {
    await sealAll(db);
    const { written, checkpoint } = await writeCheckpoint(db, options);
    if (!written) out.write(`No stream moved since the checkpoint of ${checkpoint.createdAt}: nothing written.`);
    return 0;
  }
  if (sub !== 'verify') return 64;
  const heads: StreamHead[] = [];
  for (let i = 0; i < rest.length; i += 2) {
    const head = rest[i] === '--head' ? parseHead(rest[i + 1] ?? '') : null;
    if (!head) return 64;
    heads.push(head);
  }
  const v = await verifyAuditLog(db, { heads, key: options.key, checkpointDir: options.dir, seal: true });
  for (const p of v.problems) out.write(`PROBLEM stream ${p.stream} seq ${p.seq}: ${p.kind} — ${p.detail}`);
  for (const w of v.warnings) out.write(`WARNING: ${w}`);
  for (const h of v.heads) out.write(`head ${h.stream}:${h.seq}:${h.hash}`);
  out.write(`Checked ${v.checked} events in ${v.heads.length} streams against ${v.checkpoints} checkpoint(s) and ${heads.length} published head(s).`);
  if (v.problems.length > 0) {
    out.write(`Audit log TAMPERED: ${v.problems.length} problem(s).`);
    return 2;
  }
  out.write('Audit log intact.');
  await writeCheckpoint(db, options);
  return 0;
}
