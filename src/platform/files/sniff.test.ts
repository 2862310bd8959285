import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { exeBytes, jpegBytes, pdfBytes, pngBytes, signedPdfBytes } from '../../../test/support/paper-files.ts';
import { renderPdf } from '../pdf/render-pdf.ts';
import { claimedPaperType, isWellFormedJpeg, isWellFormedPng, sniffPaperType } from './sniff.ts';

/** A PDF 1.5 file whose cross-reference is a compressed stream with PNG-up predictors, as many writers now produce. */
function pdfWithXrefStream(): Buffer {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>'];
  let body = '%PDF-1.5\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xrefAt = body.length;
  const rows = [
    [0, 0, 0, 0xff],
    [1, (offsets[0] ?? 0) >> 8, (offsets[0] ?? 0) & 0xff, 0],
    [1, (offsets[1] ?? 0) >> 8, (offsets[1] ?? 0) & 0xff, 0],
    [1, xrefAt >> 8, xrefAt & 0xff, 0],
  ];
  // PNG "up" predictor: each row is stored as its difference from the row above, after a filter byte of 2.
  const predicted = rows.flatMap((row, r) => [2, ...row.map((v, c) => (v - (r > 0 ? (rows[r - 1]?.[c] ?? 0) : 0)) & 0xff)]);
  const data = deflateSync(Buffer.from(predicted));
  const head = `3 0 obj\n<< /Type /XRef /Size 4 /W [1 2 1] /Root 1 0 R /Filter /FlateDecode /DecodeParms << /Columns 4 /Predictor 12 >> /Length ${data.length} >>\nstream\n`;
  return Buffer.concat([Buffer.from(body + head, 'latin1'), data, Buffer.from(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`)]);
}

/** An incremental update, as a signature adds: a second table and trailer pointing back with /Prev. */
function updatedPdf(): Buffer {
  const base = pdfBytes('bản gốc');
  const prev = /startxref\n(\d+)/.exec(base.toString('latin1'))?.[1];
  const at = base.length;
  const added = `6 0 obj\n<< /Producer (CQS) >>\nendobj\n`;
  const xrefAt = at + added.length;
  return Buffer.concat([base, Buffer.from(`${added}xref\n6 1\n${String(at).padStart(10, '0')} 00000 n \ntrailer\n<< /Size 7 /Root 1 0 R /Prev ${prev} /Info 6 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`)]);
}

describe('sniffPaperType', () => {
  it('accepts whole PDFs: the sample papers, a PDF rendered by CQS, a cross-reference stream, an incremental update', async () => {
    const rendered = await renderPdf({ content: ['Phiếu tiếp nhận hồ sơ'] });
    for (const pdf of [pdfBytes(), pdfBytes('khác', 20_000), signedPdfBytes(), rendered, pdfWithXrefStream(), updatedPdf()]) {
      expect(sniffPaperType(pdf)).toBe('application/pdf');
    }
  });

  it('refuses files that only begin like a PDF', () => {
    const whole = pdfBytes();
    const text = whole.toString('latin1');
    const fakes = [
      Buffer.from('%PDF-1.7 then anything at all'),
      Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n'), // the old sample: no cross-reference
      whole.subarray(0, whole.length - 40), // truncated: the end is gone
      whole.subarray(0, Math.floor(whole.length / 2)),
      Buffer.from(text.replace(/startxref\n\d+/, 'startxref\n999999'), 'latin1'), // points outside the file
      Buffer.from(text.replace(/startxref\n(\d+)/, (_m, n: string) => `startxref\n${Number(n) - 7}`), 'latin1'), // not at the table
      Buffer.from(text.replace('/Root 1 0 R', '/Root 4 0 R'), 'latin1'), // the root is not a catalogue
      Buffer.from(text.replace('/Root 1 0 R', '/Info 1 0 R'), 'latin1'), // no root at all
      Buffer.from(text.replace('0000000015 00000 n', '0000000099 00000 n'), 'latin1'), // the catalogue is not where the table says
    ];
    for (const fake of fakes) expect(sniffPaperType(fake)).toBeNull();
    expect(claimedPaperType(fakes[0] ?? Buffer.alloc(0))).toBe('application/pdf');
  });

  it('accepts a whole PNG and refuses a bare signature, a bad IHDR checksum, a missing IEND', () => {
    const png = pngBytes();
    expect(sniffPaperType(png)).toBe('image/png');
    const badCrc = Buffer.from(png);
    badCrc[29] = (badCrc[29] ?? 0) ^ 0xff; // last byte of the IHDR CRC
    const badDepth = Buffer.from(png);
    badDepth[24] = 3; // bit depth 3 does not exist
    for (const fake of [png.subarray(0, 8), Buffer.concat([png.subarray(0, 8), Buffer.alloc(64, 1)]), badCrc, badDepth, png.subarray(0, png.length - 12)]) {
      expect(isWellFormedPng(fake)).toBe(false);
      expect(sniffPaperType(fake)).toBeNull();
    }
  });

  it('accepts a whole JPEG and refuses one without a frame header or without its end', () => {
    const jpeg = jpegBytes();
    expect(sniffPaperType(jpeg)).toBe('image/jpeg');
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    const withoutFrame = Buffer.from(jpeg);
    withoutFrame[sof + 1] = 0xe1; // the frame header becomes an APP1 segment
    for (const fake of [Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(100, 7)]), withoutFrame, jpeg.subarray(0, jpeg.length - 2)]) {
      expect(isWellFormedJpeg(fake)).toBe(false);
      expect(sniffPaperType(fake)).toBeNull();
    }
  });

  it('never calls a program or text a paper', () => {
    expect(sniffPaperType(exeBytes())).toBeNull();
    expect(sniffPaperType(Buffer.from('ma_thu_tuc,ten\n'))).toBeNull();
    expect(sniffPaperType(Buffer.alloc(0))).toBeNull();
  });
});
