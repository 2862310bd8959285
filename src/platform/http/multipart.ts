import multipart, { type MultipartFile } from '@fastify/multipart';
import type { App } from './server.ts';

/** The largest file one upload may carry; procedures may set lower limits per paper. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** A file part of a multipart form, read into memory up to the limit. */
export interface UploadedFile {
  readonly filename: string;
  readonly data: Buffer;
  /** The client sent more than MAX_FILE_BYTES; `data` holds only the start. */
  readonly truncated: boolean;
}

/**
 * Multipart forms become ordinary bodies: text fields as strings and file parts as `UploadedFile`, so the CSRF check
 * and the use cases see one shape. An oversized file is cut at the limit and marked, not thrown, so that the page can
 * name the field and keep everything else the user typed.
 */
export async function registerMultipart(app: App): Promise<void> {
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { fileSize: MAX_FILE_BYTES, files: 12, fields: 200, fieldSize: 64 * 1024 },
    onFile: async (part: MultipartFile) => {
      const data = await part.toBuffer();
      const file: UploadedFile = { filename: part.filename, data, truncated: part.file.truncated };
      (part as unknown as { value: UploadedFile }).value = file;
    },
  });
}

const isUpload = (v: unknown): v is UploadedFile => typeof v === 'object' && v !== null && Buffer.isBuffer((v as UploadedFile).data);

/** The files sent under one field name; a browser's empty file input (no name, no bytes) counts as none. */
export function uploadedFiles(body: unknown, field: string): UploadedFile[] {
  const value = (body as Record<string, unknown> | undefined)?.[field];
  const list = Array.isArray(value) ? value : [value];
  return list.filter(isUpload).filter((f) => f.filename !== '' || f.data.length > 0);
}
