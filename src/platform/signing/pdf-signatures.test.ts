import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pdfBytes, signedPdfBytes } from '../../../test/support/paper-files.ts';
import { pdfTextAvailable } from '../../../test/support/pdf-text.ts';
import { makeTestPki, type Party, plainPdf, signPdf, strayKey, type TestPki } from '../../../test/support/signed-pdf.ts';
import { EMPTY_TRUST_LIST, type TrustList, trustListFromPem, verifyPdfSignatures } from './pdf-signatures.ts';

let pki: TestPki;
let signer: Party;
let trust: TrustList;
let signed: Buffer;
const signingTime = new Date('2026-03-10T02:30:00Z');

beforeAll(async () => {
  pki = await makeTestPki();
  signer = await pki.issue({ commonName: 'Nguyễn Văn Lãnh Đạo', organisation: 'Sở Tư pháp tỉnh Khánh Hòa' });
  trust = trustListFromPem(pki.caPem);
  signed = await signPdf(await plainPdf('Quyết định cấp phép'), signer, { chain: [pki.ca.cert], signingTime });
});

/** What poppler's pdfsig says of a file (its NSS database does not hold the test CA: the signature, not the chain). */
function pdfsig(pdf: Buffer): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cqs-sig-'));
  try {
    writeFileSync(path.join(dir, 'doc.pdf'), pdf);
    try {
      return execFileSync('/usr/bin/pdfsig', [path.join(dir, 'doc.pdf')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      return String((error as { stdout?: string }).stdout ?? '');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('verifyPdfSignatures', () => {
  it('verifies a signature over the ByteRange: signer, issuer, signing time, and whether the chain is trusted', async () => {
    const report = await verifyPdfSignatures(signed, trust);
    expect(report.status).toBe('valid');
    expect(report.trusted).toBe(true);
    expect(report.signatures).toEqual([
      {
        status: 'valid',
        problem: null,
        signer: { commonName: 'Nguyễn Văn Lãnh Đạo', organisation: 'Sở Tư pháp tỉnh Khánh Hòa' },
        issuer: { commonName: 'CA thử nghiệm CQS', organisation: 'CQS kiểm thử' },
        signedAt: signingTime.toISOString(),
        trusted: true,
        coversWholeFile: true,
      },
    ]);
    // The same signature is valid and untrusted when the trust list does not hold its CA (another CA, or none).
    const other = await makeTestPki({ commonName: 'CA khác', organisation: 'Nơi khác' });
    for (const list of [EMPTY_TRUST_LIST, trustListFromPem(other.caPem)]) {
      const untrusted = await verifyPdfSignatures(signed, list);
      expect(untrusted.status).toBe('valid');
      expect(untrusted.trusted).toBe(false);
      expect(untrusted.signatures[0]?.trusted).toBe(false);
    }
  });

  it('says "invalid" when the signed bytes were changed, when bytes were appended, and when the key does not match', async () => {
    // One byte of the page content changed inside the covered range.
    const text = signed.toString('latin1');
    const at = text.indexOf('/MediaBox');
    const changed = Buffer.from(signed);
    changed.write('/MediaBoy', at, 'latin1');
    expect(await verifyPdfSignatures(changed, trust)).toMatchObject({ status: 'invalid', trusted: false, signatures: [{ status: 'invalid', problem: 'document_changed' }] });

    const appended = Buffer.concat([signed, Buffer.from('\n1 0 obj\n<< /Injected true >>\nendobj\n')]);
    expect(await verifyPdfSignatures(appended, trust)).toMatchObject({ status: 'invalid', signatures: [{ status: 'invalid', problem: 'modified_after_signing', coversWholeFile: false }] });

    const forged = await signPdf(await plainPdf('Quyết định giả'), signer, { chain: [pki.ca.cert], forgeWith: await strayKey() });
    expect(await verifyPdfSignatures(forged, trust)).toMatchObject({ status: 'invalid', signatures: [{ status: 'invalid', problem: 'signature_mismatch', signer: { commonName: 'Nguyễn Văn Lãnh Đạo' } }] });

    // A signature field with no real signature in it (what mere detection counted as signed).
    expect(await verifyPdfSignatures(signedPdfBytes(), trust)).toMatchObject({ status: 'invalid', signatures: [{ problem: 'malformed' }] });
  });

  it('says "unsigned" for a PDF without a signature', async () => {
    expect(await verifyPdfSignatures(pdfBytes(), trust)).toEqual({ status: 'unsigned', signatures: [], trusted: false });
    expect(await verifyPdfSignatures(await plainPdf(), trust)).toMatchObject({ status: 'unsigned' });
  });

  it('agrees with poppler pdfsig on valid and tampered signatures', async () => {
    if (!pdfTextAvailable()) return;
    expect(pdfsig(signed)).toMatch(/Signature Validation: Signature is Valid/);
    expect(pdfsig(signed)).toMatch(/Certificate Validation: Certificate issuer isn't Trusted/);
    expect(pdfsig(signed)).toMatch(/Signer Certificate Common Name: Nguyễn Văn Lãnh Đạo/);
    const text = signed.toString('latin1');
    const changed = Buffer.from(signed);
    changed.write('/MediaBoy', text.indexOf('/MediaBox'), 'latin1');
    expect(pdfsig(changed)).toMatch(/Signature Validation: Digest Mismatch/);
  });
});
