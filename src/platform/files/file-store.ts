import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { EMPTY_TRUST_LIST, type TrustList } from '../signing/pdf-signatures.ts';

/** Where file content lives, addressed by its SHA-256; rows in `stored_files` describe each upload of it. */
export interface FileStore {
  /** Bytes of files one account may keep, its attached and unattached uploads together. */
  readonly quotaBytesPerAccount: number;
  /** The certificates signatures on stored PDFs must chain to (the state CA, the province's, the demo CA). */
  readonly signatureTrust: TrustList;
  /** Stores the bytes durably (before any row refers to them) and returns their SHA-256 in hex. */
  put(data: Buffer): Promise<string>;
  read(sha256: string): Promise<Buffer>;
  /**
   * Deletes content no row refers to any more, unless it was stored or stored again after `unlessTouchedAfter` (an
   * upload of the same bytes may be on its way to a row); absent content is not an error.
   */
  remove(sha256: string, unlessTouchedAfter: Date): Promise<void>;
  /** Releases what the store holds open (an S3 client's connections); the app calls it when it closes. */
  close?(): void;
}

export const DEFAULT_QUOTA_BYTES_PER_ACCOUNT = 200 * 1024 * 1024;

export const sha256Of = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * Files on local disk under `root/ab/cd/<sha256>`. A write goes to a temporary name, is flushed, then renamed, so a
 * process killed mid-write leaves no half file under a real name; content that is already there is not written again.
 */
export class DiskFileStore implements FileStore {
  readonly quotaBytesPerAccount: number;
  readonly signatureTrust: TrustList;

  constructor(
    private readonly root: string,
    options: { quotaBytesPerAccount?: number; signatureTrust?: TrustList } = {},
  ) {
    this.quotaBytesPerAccount = options.quotaBytesPerAccount ?? DEFAULT_QUOTA_BYTES_PER_ACCOUNT;
    this.signatureTrust = options.signatureTrust ?? EMPTY_TRUST_LIST;
  }

  private pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a SHA-256 digest');
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(data: Buffer): Promise<string> {
    const sha256 = sha256Of(data);
    const target = this.pathOf(sha256);
    const existing = await stat(target).catch(() => null);
    if (existing?.size === data.length) {
      // Touched, so that a clean-up running now sees these bytes as in use.
      const now = new Date();
      await utimes(target, now, now);
      return sha256;
    }
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${randomUUID()}.tmp`;
    const handle = await open(temporary, 'wx', 0o640);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
    return sha256;
  }

  async read(sha256: string): Promise<Buffer> {
    return readFile(this.pathOf(sha256));
  }

  async remove(sha256: string, unlessTouchedAfter: Date): Promise<void> {
    const target = this.pathOf(sha256);
    const info = await stat(target).catch(() => null);
    if (info && info.mtime < unlessTouchedAfter) await rm(target, { force: true });
  }
}
