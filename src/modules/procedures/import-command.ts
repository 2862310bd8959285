import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { systemActor } from '../../platform/audit/audit-log.ts';
import type { Db } from '../../platform/db/database.ts';
import { type ImportKind, importProcedures } from './import-procedures.ts';

export interface Output {
  write(line: string): void;
}

/** `cqs import procedures FILE`: imports a catalogue file, with a progress bar on a terminal and a summary. */
export async function runImportCommand(db: Db, filePath: string, out: Output, progressStream: NodeJS.WriteStream = process.stderr): Promise<number> {
  const ext = path.extname(filePath).toLowerCase();
  const kind: ImportKind | undefined = ext === '.csv' ? 'catalogue' : ext === '.json' ? 'detailed' : undefined;
  if (!kind) {
    out.write(`Chỉ nhận tệp .csv (danh mục) hoặc .json (chi tiết): ${filePath}`);
    return 65;
  }
  const text = await readFile(filePath, 'utf8');
  const bar = progressStream.isTTY ? new SingleBar({ format: 'Nhập thủ tục [{bar}] {percentage}% | {value}/{total}', stream: progressStream }) : null;
  let lastPercent = -10;
  let started = false;
  const summary = await importProcedures(db, systemActor(`cli:${process.env.USER ?? 'cqs'}`), { fileName: path.basename(filePath), kind, text }, (done, total) => {
    if (bar) {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
      return;
    }
    const percent = Math.floor((done * 100) / Math.max(total, 1));
    if (percent >= lastPercent + 10 || done === total) {
      lastPercent = percent;
      out.write(`… ${percent}% (${done}/${total})`);
    }
  });
  bar?.stop();
  out.write(`Đã đọc ${summary.total} dòng: ${summary.created} thủ tục mới, ${summary.newVersions} phiên bản mới, ${summary.unchanged} không đổi, ${summary.rejects.length} bị từ chối.`);
  for (const r of summary.rejects) out.write(`  Dòng ${r.row}${r.code ? ` (mã ${r.code})` : ''}: ${r.reasons.join('; ')}`);
  return summary.rejects.length > 0 ? 2 : 0;
}
