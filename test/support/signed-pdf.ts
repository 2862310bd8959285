import { webcrypto } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { type CertificateAuthority, makeCertificateAuthority } from '../../src/platform/signing/sign-pdf.ts';

/** Signed PDFs for the tests, with a CA made in the test (no certificate from outside). */
export { type Party, signPdf } from '../../src/platform/signing/sign-pdf.ts';
export type TestPki = CertificateAuthority;

export const makeTestPki = (caName = { commonName: 'CA thử nghiệm CQS', organisation: 'CQS kiểm thử' }) => makeCertificateAuthority(caName);

/** Writes a PKI's CA to a file for `CQS_TRUSTED_CA`. */
export async function trustFile(pki: TestPki): Promise<string> {
  const file = path.join(os.tmpdir(), `cqs-trust-${process.pid}-${Math.random().toString(36).slice(2)}.pem`);
  await writeFile(file, pki.caPem);
  return file;
}

/** A one-page PDF made with pdf-lib, saved without object streams as signing placeholders expect. */
export async function plainPdf(text = 'Quyết định'): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([420, 595]);
  page.drawText(text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D'), { x: 40, y: 540, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** A key that belongs to no certificate. */
export async function strayKey(): Promise<CryptoKey> {
  const pair = (await webcrypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  return pair.privateKey;
}
