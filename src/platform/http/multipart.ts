import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Busboy, type BusboyFileStream, type BusboyHeaders, type BusboyInstance } from '@fastify/busboy';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { csrfApplies } from './request-context.ts';
import type { App } from './server.ts';

/** The largest file one upload may carry; procedures may set lower limits per paper. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_FILES = 12;
export const MAX_FIELDS = 200;
const MAX_FIELD_BYTES = 64 * 1024;
/** Temporary files older than this were left by a process that stopped mid-request. */
const STALE_TEMP_MS = 60 * 60 * 1000;

/** A file part of a multipart form, kept in a temporary file until the response is sent. */
export interface UploadedFile {
  readonly filename: string;
  /** Bytes received, at most MAX_FILE_BYTES. */
  readonly size: number;
  /** The client sent more than MAX_FILE_BYTES; only the start was kept. */
  readonly truncated: boolean;
  read(): Promise<Buffer>;
}

/** An upload that is already in memory (imports, seeds, benchmarks): the same shape the forms produce. */
export const uploadFromBuffer = (filename: string, data: Buffer): UploadedFile => ({ filename, size: data.length, truncated: false, read: async () => data });

export interface MultipartOptions {
  /** Folder for the files of requests being read (inside the data folder, so nothing large stays in memory). */
  readonly tempDir: string;
  /** Largest request body, files and fields together. */
  readonly requestLimitBytes: number;
  /** Whether the submitted token is the request's CSRF token (constant-time). */
  readonly csrfMatches: (request: FastifyRequest, submitted: string) => boolean;
}

const multipartRequests = new WeakSet<FastifyRequest>();
const checkedCsrf = new WeakSet<FastifyRequest>();
/** Per request: its temporary files and the writes into them, which must settle before the files are removed. */
const temporaries = new WeakMap<IncomingMessage, { readonly paths: string[]; readonly writes: Promise<unknown>[] }>();

/** Whether the multipart reader already checked this request's CSRF token (in a header, the query or first field). */
export const csrfCheckedWithBody = (request: FastifyRequest) => checkedCsrf.has(request);

const badForm = (messageVi: string, detail: string) => new AppError('bad_request', { messageVi, detail });
const tooLarge = () => new AppError('payload_too_large', { messageVi: 'Dữ liệu gửi lên quá lớn.', detail: 'The multipart body exceeds the request limit.' });
const tooMany = () => badForm(`Biểu mẫu có quá nhiều trường hoặc tệp (tối đa ${MAX_FIELDS} trường và ${MAX_FILES} tệp).`, 'Too many fields or files.');

/**
 * Multipart forms become ordinary bodies — text fields as strings, file parts as `UploadedFile` — so the use cases see
 * one shape. Nothing is read before the route is known, the caller is signed in and the CSRF token checked (from the
 * `x-csrf-token` header, a `_csrf` query parameter, or the form's FIRST field, read before any file part); file parts
 * then stream to temporary files with a limit per file and per request. An oversized file is cut at the limit and
 * marked, not thrown, so that a page can name the field and keep everything else the user typed.
 */
export async function registerMultipart(app: App, options: MultipartOptions): Promise<void> {
  await mkdir(options.tempDir, { recursive: true, mode: 0o700 });
  await removeStaleTemporaries(options.tempDir);
  // The body is left in the socket here; the preValidation hook reads it once the request may be served.
  app.addContentTypeParser('multipart/form-data', (request, _payload, done) => {
    multipartRequests.add(request);
    done(null, undefined);
  });
  app.addHook('preValidation', async (request, reply) => {
    if (!multipartRequests.has(request)) return;
    if (request.is404) return refuseUnread(reply); // the not-found handler answers
    refuseEarly(request, reply, options);
    const outside = submittedOutsideBody(request);
    const needsCsrf = csrfApplies(request);
    if (needsCsrf && outside !== undefined && !options.csrfMatches(request, outside)) throw refused(reply, new AppError('csrf'));
    const firstField = needsCsrf && outside === undefined ? (token: string) => options.csrfMatches(request, token) : null;
    try {
      request.body = await readMultipart(request, options, firstField);
    } catch (error) {
      throw refused(reply, error);
    }
    checkedCsrf.add(request);
  });
  const cleanUp = async (request: FastifyRequest) => {
    const pending = temporaries.get(request.raw);
    if (!pending) return;
    temporaries.delete(request.raw);
    await Promise.allSettled(pending.writes);
    await Promise.all(pending.paths.map((f) => rm(f, { force: true })));
  };
  // Before the answer leaves (the handler is done with the files by then); after an abort there is no answer.
  app.addHook('onSend', async (request, _reply, payload) => {
    await cleanUp(request);
    return payload;
  });
  app.addHook('onRequestAbort', cleanUp);
}

/** What can be refused from the headers alone: a caller who is not signed in, a declared length over the limit. */
function refuseEarly(request: FastifyRequest, reply: FastifyReply, options: MultipartOptions): void {
  // Uploads belong to accounts (and count against their quota); nobody else gets a byte of theirs read.
  if (!request.session) throw refused(reply, new AppError('unauthenticated'));
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > options.requestLimitBytes) throw refused(reply, tooLarge());
}

function submittedOutsideBody(request: FastifyRequest): string | undefined {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const query = (request.query as Record<string, unknown> | undefined)?._csrf;
  return typeof query === 'string' ? query : undefined;
}

/** The body stays unread: the connection is closed after the answer rather than drained for the next request. */
function refuseUnread(reply: FastifyReply): void {
  reply.header('connection', 'close');
}

function refused(reply: FastifyReply, error: unknown): unknown {
  refuseUnread(reply);
  return error;
}

const RESERVED_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

function addValue(body: Record<string, unknown>, name: string, value: unknown): void {
  const existing = body[name];
  if (existing === undefined) body[name] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else body[name] = [existing, value];
}

/**
 * Reads the parts in order. `firstField`, when given, must accept the value of the first part, which must be the
 * `_csrf` field: a form whose first part is anything else is refused before more is read.
 */
function readMultipart(request: FastifyRequest, options: MultipartOptions, firstField: ((token: string) => boolean) | null): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const raw = request.raw;
    let parser: BusboyInstance;
    try {
      parser = new Busboy({
        headers: raw.headers as BusboyHeaders,
        limits: { fileSize: MAX_FILE_BYTES, files: MAX_FILES, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES, parts: MAX_FILES + MAX_FIELDS },
      });
    } catch {
      reject(badForm('Biểu mẫu gửi lên không đúng định dạng.', 'Malformed multipart/form-data (no boundary?).'));
      return;
    }
    const body: Record<string, unknown> = {};
    const streams: (BusboyFileStream | WriteStream)[] = [];
    const pending = { paths: [] as string[], writes: [] as Promise<unknown>[] };
    temporaries.set(raw, pending);
    const { paths: files, writes } = pending;
    let csrfPending = firstField !== null;
    let settled = false;
    let received = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        if (received > options.requestLimitBytes) callback(tooLarge());
        else callback(null, chunk);
      },
    });
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      raw.unpipe(counter);
      raw.pause();
      counter.destroy();
      // A file being written would wait for the rest of its part for ever: end it, its temporary file is removed later.
      for (const s of streams) s.destroy();
      parser.removeAllListeners();
      parser.on('error', () => {});
      reject(error);
    };
    const onAbort = () => fail(badForm('Biểu mẫu gửi lên không trọn vẹn.', 'The request body ended early.'));
    raw.once('aborted', onAbort);
    counter.on('error', fail);
    parser.on('field', (name: string, value: string, _nameTruncated: boolean, valueTruncated: boolean) => {
      if (csrfPending) {
        csrfPending = false;
        if (name !== '_csrf' || !firstField?.(value)) return fail(new AppError('csrf'));
      }
      if (RESERVED_NAMES.has(name)) return fail(badForm('Tên trường không hợp lệ.', `Field name "${name}" is not allowed.`));
      if (valueTruncated) return fail(tooLarge());
      addValue(body, name, value);
    });
    parser.on('file', (name: string, stream: BusboyFileStream, filename: string) => {
      if (csrfPending || RESERVED_NAMES.has(name)) {
        stream.resume();
        return fail(csrfPending ? new AppError('csrf') : badForm('Tên trường không hợp lệ.', `Field name "${name}" is not allowed.`));
      }
      const target = path.join(options.tempDir, `${randomUUID()}.part`);
      files.push(target);
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
      });
      const output = createWriteStream(target, { flags: 'wx', mode: 0o600 });
      streams.push(stream, output);
      const written = pipeline(stream, output);
      written.catch(() => undefined); // after a failure nobody awaits it
      writes.push(written);
      const file: UploadedFile = {
        filename,
        get size() {
          return size;
        },
        get truncated() {
          return stream.truncated;
        },
        read: () => readFile(target),
      };
      addValue(body, name, file);
    });
    parser.on('partsLimit', () => fail(tooMany()));
    parser.on('filesLimit', () => fail(tooMany()));
    parser.on('fieldsLimit', () => fail(tooMany()));
    parser.on('error', () => fail(badForm('Biểu mẫu gửi lên không trọn vẹn hoặc không đúng định dạng.', 'Malformed or truncated multipart/form-data.')));
    parser.on('finish', () => {
      if (csrfPending) return fail(new AppError('csrf'));
      Promise.all(writes).then(
        () => {
          if (settled) return;
          settled = true;
          raw.off('aborted', onAbort);
          resolve(body);
        },
        (error: unknown) => fail(error),
      );
    });
    raw.pipe(counter).pipe(parser);
  });
}

async function removeStaleTemporaries(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const cutoff = Date.now() - STALE_TEMP_MS;
  for (const name of names.filter((n) => n.endsWith('.part'))) {
    const full = path.join(dir, name);
    const info = await stat(full).catch(() => null);
    if (info && info.mtimeMs < cutoff) await rm(full, { force: true });
  }
}

const isUpload = (v: unknown): v is UploadedFile => typeof v === 'object' && v !== null && typeof (v as UploadedFile).read === 'function';

/** The files sent under one field name; a browser's empty file input (no name, no bytes) counts as none. */
export function uploadedFiles(body: unknown, field: string): UploadedFile[] {
  const value = (body as Record<string, unknown> | undefined)?.[field];
  const list = Array.isArray(value) ? value : [value];
  return list.filter(isUpload).filter((f) => f.filename !== '' || f.size > 0);
}
