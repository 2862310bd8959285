import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { EMPTY_TRUST_LIST, type TrustList } from '../signing/pdf-signatures.ts';
import { DEFAULT_QUOTA_BYTES_PER_ACCOUNT, type FileStore, sha256Of } from './file-store.ts';

/** An S3-compatible object store (CQS_S3_ENDPOINT, _BUCKET, _REGION, _ACCESS_KEY_ID, _SECRET_ACCESS_KEY). */
export interface S3Settings {
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

const notFound = (error: unknown) => error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 404 || error.name === 'NoSuchKey' || error.name === 'NotFound');

/**
 * File content in a bucket shared by every app process, under `ab/cd/<sha256>` as on disk. The store checks each
 * upload against its SHA-256 (x-amz-checksum-sha256), so bytes that arrive damaged are refused rather than kept.
 * Stored content is never rewritten: storing the same bytes again only refreshes the object's time (a copy onto
 * itself), which is what `remove` compares, as the disk store compares a file's mtime.
 */
export class S3FileStore implements FileStore {
  readonly quotaBytesPerAccount: number;
  readonly signatureTrust: TrustList;
  private readonly client: S3Client;

  constructor(
    private readonly settings: S3Settings,
    options: { quotaBytesPerAccount?: number; signatureTrust?: TrustList } = {},
  ) {
    this.quotaBytesPerAccount = options.quotaBytesPerAccount ?? DEFAULT_QUOTA_BYTES_PER_ACCOUNT;
    this.signatureTrust = options.signatureTrust ?? EMPTY_TRUST_LIST;
    this.client = new S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
      // Path-style addressing works with every S3-compatible store (MinIO, Ceph, the providers' own) without DNS.
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
    });
  }

  private keyOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a SHA-256 digest');
    return `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
  }

  private async head(key: string): Promise<{ size: number; modified: Date } | null> {
    try {
      const found = await this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: key }));
      return { size: found.ContentLength ?? -1, modified: found.LastModified ?? new Date(0) };
    } catch (error) {
      if (notFound(error)) return null;
      throw error;
    }
  }

  async put(data: Buffer): Promise<string> {
    const sha256 = sha256Of(data);
    const key = this.keyOf(sha256);
    const Bucket = this.settings.bucket;
    const existing = await this.head(key);
    if (existing?.size === data.length) {
      // Touched, so that a clean-up running now sees these bytes as in use.
      await this.client.send(new CopyObjectCommand({ Bucket, Key: key, CopySource: `${Bucket}/${key}`, MetadataDirective: 'REPLACE', Metadata: { touched: new Date().toISOString() } }));
      return sha256;
    }
    const checksum = Buffer.from(sha256, 'hex').toString('base64');
    await this.client.send(new PutObjectCommand({ Bucket, Key: key, Body: data, ContentLength: data.length, ChecksumSHA256: checksum }));
    return sha256;
  }

  async read(sha256: string): Promise<Buffer> {
    try {
      const got = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.keyOf(sha256) }));
      if (!got.Body) throw new Error(`empty answer for ${sha256}`);
      return Buffer.from(await got.Body.transformToByteArray());
    } catch (error) {
      // The same error a missing file on disk gives, so callers treat both stores alike.
      if (notFound(error)) throw Object.assign(new Error(`no stored content ${sha256}`), { code: 'ENOENT' });
      throw error;
    }
  }

  async remove(sha256: string, unlessTouchedAfter: Date): Promise<void> {
    const key = this.keyOf(sha256);
    const info = await this.head(key);
    // S3 keeps an object's time to the second: it may have been touched up to a second after the time it shows.
    if (info && info.modified.getTime() + 1000 <= unlessTouchedAfter.getTime()) await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: key }));
  }

  close(): void {
    this.client.destroy();
  }
}
