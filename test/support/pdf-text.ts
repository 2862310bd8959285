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

/** The text of a PDF as pdftotext reads it (layout kept), plus its page size in points. */
export function pdfText(pdf: Buffer): { text: string; pageSize: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cqs-pdf-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync(PDFTOTEXT, ['-layout', file, '-'], { encoding: 'utf8' });
    const info = execFileSync('/usr/bin/pdfinfo', [file], { encoding: 'utf8' });
    return { text, pageSize: /Page size:\s+(.*)/.exec(info)?.[1] ?? '' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
