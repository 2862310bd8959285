import path from 'node:path';
import type { Config } from '../config.ts';
import type { TrustList } from '../signing/pdf-signatures.ts';
import { DiskFileStore, type FileStore } from './file-store.ts';
import { S3FileStore } from './s3-file-store.ts';

/** The file store the configuration names: the S3-compatible bucket when set, else the folder under the data dir. */
export function configuredFileStore(config: Config, signatureTrust: TrustList): FileStore {
  const options = { quotaBytesPerAccount: config.storageQuotaBytes, signatureTrust };
  return config.s3 ? new S3FileStore(config.s3, options) : new DiskFileStore(path.join(config.dataDir, 'files'), options);
}
