import { crc32 } from 'node:zlib';
import type { PaperMediaType } from '../db/schema.ts';
import { isWellFormedPdf } from './pdf-structure.ts';

const startsWith = (data: Buffer, bytes: readonly number[]) => bytes.every((b, i) => data[i] === b);

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/** What the first bytes claim the file is; `sniffPaperType` then checks that the rest agrees. */
export function claimedPaperType(data: Buffer): PaperMediaType | null {
  if (data.length >= 5 && data.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (startsWith(data, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(data, PNG_SIGNATURE)) return 'image/png';
  return null;
}

/**
 * The type of an uploaded paper, decided from its content and never from the client's name or declared type: an
 * `.exe` renamed `.pdf` is still a program, and a file that only begins like a PDF (or a PNG, a JPEG) but is cut
 * short or made up is no paper either. Only whole PDF, JPEG and PNG files are papers; anything else is `null`.
 */
export function sniffPaperType(data: Buffer): PaperMediaType | null {
  const claimed = claimedPaperType(data);
  if (claimed === 'application/pdf') return isWellFormedPdf(data) ? claimed : null;
  if (claimed === 'image/png') return isWellFormedPng(data) ? claimed : null;
  if (claimed === 'image/jpeg') return isWellFormedJpeg(data) ? claimed : null;
  return null;
}

const PNG_COLOUR_DEPTHS: Record<number, readonly number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

/** Signature, an IHDR first with a valid CRC and sane fields, chunks that fit the file, image data, IEND last. */
export function isWellFormedPng(data: Buffer): boolean {
  if (!startsWith(data, PNG_SIGNATURE)) return false;
  let at = 8;
  let first = true;
  let sawData = false;
  while (at + 12 <= data.length) {
    const length = data.readUInt32BE(at);
    const type = data.subarray(at + 4, at + 8).toString('latin1');
    const end = at + 12 + length;
    if (length > 0x7fffffff || end > data.length || !/^[A-Za-z]{4}$/.test(type)) return false;
    if (first) {
      if (type !== 'IHDR' || length !== 13 || !validIhdr(data.subarray(at + 8, at + 8 + 13))) return false;
      if (crc32(data.subarray(at + 4, at + 8 + length)) !== data.readUInt32BE(at + 8 + length)) return false;
      first = false;
    }
    if (type === 'IDAT') sawData = true;
    if (type === 'IEND') return sawData && length === 0;
    at = end;
  }
  return false;
}

function validIhdr(h: Buffer): boolean {
  const width = h.readUInt32BE(0);
  const height = h.readUInt32BE(4);
  const depth = h[8] ?? 0;
  const colour = h[9] ?? -1;
  return width > 0 && height > 0 && (PNG_COLOUR_DEPTHS[colour]?.includes(depth) ?? false) && h[10] === 0 && h[11] === 0 && (h[12] ?? 2) <= 1;
}

/** SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
const isFrameHeader = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/** SOI, marker segments that fit the file, a frame header (SOFn) before the first scan, and EOI at the end. */
export function isWellFormedJpeg(data: Buffer): boolean {
  if (!startsWith(data, [0xff, 0xd8])) return false;
  let at = 2;
  let sawFrame = false;
  while (at + 4 <= data.length) {
    if (data[at] !== 0xff) return false;
    const marker = data[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    const length = data.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > data.length) return false;
    if (isFrameHeader(marker)) {
      if (length < 11 || data.readUInt16BE(at + 5) === 0 || data.readUInt16BE(at + 7) === 0) return false;
      sawFrame = true;
    }
    if (marker === 0xda) return sawFrame && endsWithEoi(data, at + 2 + length);
    at += 2 + length;
  }
  return false;
}

/** After the first scan: entropy-coded data, more segments or scans, and EOI (FFD9), perhaps followed by padding. */
function endsWithEoi(data: Buffer, scanData: number): boolean {
  const eoi = data.lastIndexOf(Buffer.from([0xff, 0xd9]));
  return eoi >= scanData && data.subarray(eoi + 2).every((b) => b === 0x00);
}

/** Whether the bytes are a Windows or Linux program, to name the problem plainly. */
export const looksExecutable = (data: Buffer) => startsWith(data, [0x4d, 0x5a]) || startsWith(data, [0x7f, 0x45, 0x4c, 0x46]);

export const MEDIA_TYPE_LABELS: Record<PaperMediaType, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPG', 'image/png': 'PNG' };
export const EXTENSIONS: Record<PaperMediaType, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };
