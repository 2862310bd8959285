import { crc32, deflateSync } from 'node:zlib';

/**
 * Small but whole files of each kind a paper may be — readers open them — built in code so that each test can make
 * distinct ones: a one-page PDF with a classic cross-reference table, a 1×1 PNG, an 8×8 baseline JPEG.
 */
function pdfOf(objects: readonly (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let size = parts[0]?.length ?? 0;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(size);
    const chunk = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), typeof body === 'string' ? Buffer.from(body, 'utf8') : body, Buffer.from('\nendobj\n')]);
    parts.push(chunk);
    size += chunk.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${size}\n%%EOF\n`));
  return Buffer.concat(parts);
}

const stream = (content: Buffer) => Buffer.concat([Buffer.from(`<< /Length ${content.length} >>\nstream\n`), content, Buffer.from('\nendstream')]);

const pageObjects = (text: string, paddingBytes: number, catalogueExtra = '') => [
  `<< /Type /Catalog /Pages 2 0 R${catalogueExtra} >>`,
  '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
  '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
  // The text goes in a comment too, so that two papers with different texts have different bytes.
  stream(Buffer.from(`% ${text}\n${'% padding\n'.repeat(Math.ceil(paddingBytes / 10))}BT /F1 12 Tf 72 770 Td (CQS) Tj ET`, 'utf8')),
  '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
];

/** A one-page PDF; `paddingBytes` makes it about that much larger. */
export const pdfBytes = (text = 'Giấy tờ', paddingBytes = 0) => pdfOf(pageObjects(text, paddingBytes));

/** A PDF with a signature field and its signed-content dictionary (presence only: the signature itself is not real). */
export const signedPdfBytes = () =>
  pdfOf([
    ...pageObjects('Đã ký', 0, ' /AcroForm << /Fields [7 0 R] /SigFlags 3 >>'),
    '<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 100 200 50] /Contents <00> >>',
    '<< /Type /Annot /Subtype /Widget /FT /Sig /T (Chu ky) /V 6 0 R /Rect [0 0 0 0] /P 3 0 R >>',
  ]);

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A 1×1 greyscale PNG of the given shade. */
export function pngBytes(shade = 0x80): Buffer {
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.from([0, shade]))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

const segment = (marker: number, body: readonly number[]) => [0xff, marker, ((body.length + 2) >> 8) & 0xff, (body.length + 2) & 0xff, ...body];

/** An 8×8 grey baseline JPEG: quantisation and Huffman tables with one code each, one block, EOI. */
export function jpegBytes(): Buffer {
  return Buffer.from([
    0xff, 0xd8,
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...segment(0xdb, [0x00, ...new Array<number>(64).fill(1)]),
    ...segment(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]),
    ...segment(0xc4, [0x00, 1, ...new Array<number>(15).fill(0), 0x00]),
    ...segment(0xc4, [0x10, 1, ...new Array<number>(15).fill(0), 0x00]),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    0x3f,
    0xff, 0xd9,
  ]);
}

export const exeBytes = () => Buffer.concat([Buffer.from('MZ\u0090\u0000\u0003', 'latin1'), Buffer.alloc(128, 0)]);
