import { rename, rm, stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { CellValue, SheetLayout } from './sheet.ts';
import type { FromWorker, ToWorker } from './xlsx-worker.ts';

/** A workbook being written by a worker thread; each call resolves when the worker has taken the rows to disk. */
export interface XlsxFile {
  append(rows: readonly (readonly CellValue[])[]): Promise<void>;
  /** Completes the workbook under its final name and answers its size in bytes. */
  finish(): Promise<number>;
  /** Stops the worker and removes what was written. */
  abort(): Promise<void>;
}

/**
 * The worker runs TypeScript the way the main thread does: through tsx's loader, registered in the worker before
 * its entry is imported (an `--import` in execArgv does not reach a worker's entry on Node 20).
 */
function startWorker(entry: URL, workerData: unknown): Worker {
  const loader = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(loader)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/**
 * Opens `file` for writing as a one-sheet workbook laid out as `layout`. The bytes go to `file`.part and are renamed
 * when complete, so a process killed mid-export never leaves a truncated file under the real name.
 */
export async function openXlsxFile(file: string, layout: SheetLayout): Promise<XlsxFile> {
  const part = `${file}.part`;
  await rm(part, { force: true });
  const worker = startWorker(new URL('./xlsx-worker.ts', import.meta.url), { file: part, layout });
  let failure: Error | null = null;
  const waiting: { resolve: (m: FromWorker) => void; reject: (e: Error) => void }[] = [];
  const fail = (error: Error) => {
    failure ??= error;
    for (const w of waiting.splice(0)) w.reject(error);
  };
  worker.on('message', (m: FromWorker) => waiting.shift()?.resolve(m));
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the workbook writer stopped (exit code ${code})`)));
  const reply = () =>
    new Promise<FromWorker>((resolve, reject) => {
      if (failure) reject(failure);
      else waiting.push({ resolve, reject });
    });
  const send = (message: ToWorker) => {
    const answer = reply();
    worker.postMessage(message);
    return answer;
  };
  await reply();
  return {
    async append(rows) {
      if (rows.length > 0) await send({ rows });
    },
    async finish() {
      await send({ end: true });
      await worker.terminate();
      await rename(part, file);
      return (await stat(file)).size;
    },
    async abort() {
      await worker.terminate();
      await rm(part, { force: true });
    },
  };
}
