import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PDFTOTEXT = '/usr/bin/pdftotext';

/**
 * Whether PDF text can be checked here (poppler-utils). Without it the PDF checks are skipped with the reason,
 * unless CQS_REQUIRE_TOOLS=1 (set by CI), where its absence fails the run.
 */
export function pdfTextAvailable(): boolean {
  if (existsSync(PDFTOTEXT)) return true;
  if (process.env.CQS_REQUIRE_TOOLS === '1') throw new Error('CQS_REQUIRE_TOOLS=1 but pdftotext is missing (apt-get install poppler-utils)');
  console.warn('PDF text checks SKIPPED: pdftotext not found (apt-get install poppler-utils).');
  return false;
}

/**
 * The text of a PDF as pdftotext reads it: with the layout kept (`text`: what stands side by side shares a line), and
 * in reading order (`flow`: each column on its own, lines joined by single spaces, so a name wrapped inside a column
 * reads whole); plus its page size in points and its orientation.
 */
export function pdfText(pdf: Buffer): { text: string; flow: string; pageSize: string; orientation: 'portrait' | 'landscape' } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cqs-pdf-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync(PDFTOTEXT, ['-layout', file, '-'], { encoding: 'utf8' });
    const flow = execFileSync(PDFTOTEXT, [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    const info = execFileSync('/usr/bin/pdfinfo', [file], { encoding: 'utf8' });
    const pageSize = /Page size:\s+(.*)/.exec(info)?.[1] ?? '';
    const [width = 0, height = 0] = (/^([\d.]+) x ([\d.]+)/.exec(pageSize) ?? []).slice(1).map(Number);
    return { text, flow, pageSize, orientation: width > height ? 'landscape' : 'portrait' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
