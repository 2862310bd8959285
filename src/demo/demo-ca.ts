import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { certificatePem, exportParty, importParty, makeCertificateAuthority, type Party } from '../platform/signing/sign-pdf.ts';
import type * as pkijs from 'pkijs';

/** The demo province's local CA and the demo leader's signing certificate, kept in the data folder. */
export interface DemoSigning {
  /** The CA certificate (PEM): on the demo server's trust list, so the demo's signed results show as trusted. */
  readonly caFile: string;
  readonly signer: Party;
  readonly chain: readonly pkijs.Certificate[];
}

/**
 * The demo CA, made on the first start and read back afterwards, so results signed in the demo stay verifiable across
 * restarts. It is for the demo only: it lives in `$CQS_DATA_DIR/demo-ca/`, never in the repository, and a production
 * deployment trusts the state CA through `CQS_TRUSTED_CA` instead.
 */
export async function demoSigningAt(dataDir: string): Promise<DemoSigning> {
  const dir = path.join(dataDir, 'demo-ca');
  const caFile = path.join(dir, 'ca.pem');
  const files = { ca: caFile, caKey: path.join(dir, 'ca.json'), signer: path.join(dir, 'signer.json') };
  try {
    const [ca, signer] = await Promise.all([readFile(files.caKey, 'utf8'), readFile(files.signer, 'utf8')]);
    const caParty = await importParty(JSON.parse(ca) as { certPem: string; keyPkcs8: string });
    return { caFile, signer: await importParty(JSON.parse(signer) as { certPem: string; keyPkcs8: string }), chain: [caParty.cert] };
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
  }
  const ca = await makeCertificateAuthority({ commonName: 'CA dữ liệu mẫu CQS (chỉ dùng thử)', organisation: 'CQS — tỉnh Khánh Hòa (dữ liệu mẫu)' });
  const signer = await ca.issue({ commonName: 'Lãnh đạo Sở Tư pháp (dữ liệu mẫu)', organisation: 'Sở Tư pháp tỉnh Khánh Hòa' });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // The signer's file last: when it is there, the rest is too.
  await writeFile(files.caKey, JSON.stringify(await exportParty(ca.ca)), { mode: 0o600 });
  await writeFile(files.ca, certificatePem(ca.ca.cert));
  await writeFile(files.signer, JSON.stringify(await exportParty(signer)), { mode: 0o600 });
  return { caFile, signer, chain: [ca.ca.cert] };
}
