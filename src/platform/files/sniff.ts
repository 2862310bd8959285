import type { PaperMediaType } from '../db/schema.ts';

const startsWith = (data: Buffer, bytes: readonly number[]) => bytes.every((b, i) => data[i] === b);

/**
 * The type of an uploaded paper, decided from its first bytes and never from the client's name or declared type:
 * an `.exe` renamed `.pdf` is still a program. Only PDF, JPEG and PNG are papers; anything else is `null`.
 */
export function sniffPaperType(data: Buffer): PaperMediaType | null {
  if (data.length >= 5 && data.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (startsWith(data, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  return null;
}

/** Whether the bytes are a Windows or Linux program, to name the problem plainly. */
export const looksExecutable = (data: Buffer) => startsWith(data, [0x4d, 0x5a]) || startsWith(data, [0x7f, 0x45, 0x4c, 0x46]);

/**
 * Whether a PDF carries a signature field with signed content (`/ByteRange` next to a `/Sig` dictionary). This is
 * presence, not validity: verifying the signer against the state CA comes with the signing module.
 */
export function hasPdfSignature(data: Buffer): boolean {
  const text = data.toString('latin1');
  return /\/Type\s*\/Sig\b/.test(text) && /\/ByteRange\s*\[/.test(text);
}

export const MEDIA_TYPE_LABELS: Record<PaperMediaType, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPG', 'image/png': 'PNG' };
export const EXTENSIONS: Record<PaperMediaType, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };
