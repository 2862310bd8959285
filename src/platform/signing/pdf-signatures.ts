import { createHash, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

// pkijs needs a WebCrypto engine; Node's is the one every signature here is checked with.
pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto }));

/** A signed PDF's verdict: every signature valid, some signature invalid (or bytes added after it), or none. */
export type SignatureStatus = 'valid' | 'invalid' | 'unsigned';

/**
 * Why a signature is not valid: the covered bytes no longer have the digest that was signed (the document changed
 * after signing), the signature does not match the signer's public key, bytes were added after the last signature,
 * or the signature cannot be read at all.
 */
export type SignatureProblem = 'document_changed' | 'signature_mismatch' | 'modified_after_signing' | 'malformed';

export interface NameParts {
  readonly commonName: string | null;
  readonly organisation: string | null;
}

export interface PdfSignature {
  readonly status: 'valid' | 'invalid';
  readonly problem: SignatureProblem | null;
  readonly signer: NameParts | null;
  readonly issuer: NameParts | null;
  /** The signing time the signer claims (the signed signingTime attribute), ISO 8601. */
  readonly signedAt: string | null;
  /** Whether the signer's certificate chains to a certificate of the configured trust list. */
  readonly trusted: boolean;
  /** Whether the signature covers the file to its end (nothing was appended after it). */
  readonly coversWholeFile: boolean;
}

export interface SignatureReport {
  readonly status: SignatureStatus;
  readonly signatures: readonly PdfSignature[];
  /** Every valid signature chains to the trust list (false when unsigned). */
  readonly trusted: boolean;
}

/** The certificates a deployment trusts as roots for signatures (the state CA, a province's CA, the demo CA). */
export interface TrustList {
  readonly roots: readonly pkijs.Certificate[];
}

export const EMPTY_TRUST_LIST: TrustList = { roots: [] };

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  commonName: '2.5.4.3',
  organisation: '2.5.4.10',
} as const;

const DIGESTS: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

const toArrayBuffer = (b: Uint8Array): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** Reads every certificate of a PEM bundle (`-----BEGIN CERTIFICATE-----` blocks). */
export function trustListFromPem(pem: string): TrustList {
  const blocks = [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
  return { roots: blocks.map((m) => pkijs.Certificate.fromBER(toArrayBuffer(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64')))) };
}

function nameParts(name: pkijs.RelativeDistinguishedNames): NameParts {
  const value = (oid: string) => {
    const found = name.typesAndValues.find((t) => t.type === oid);
    return found ? String((found.value.valueBlock as { value?: unknown }).value ?? '') : null;
  };
  return { commonName: value(OID.commonName), organisation: value(OID.organisation) };
}

interface SignatureField {
  readonly range: readonly [number, number, number, number];
  readonly contents: Buffer | null;
}

/** Each `/ByteRange [a b c d]` of the file with the DER of its `/Contents <hex>`, which sits in the gap it leaves. */
function signatureFields(data: Buffer): SignatureField[] {
  const text = data.toString('latin1');
  const seen = new Set<string>();
  const fields: SignatureField[] = [];
  for (const m of text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)) {
    const range = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as const;
    const key = range.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    const [a, b, c, d] = range;
    const gapStart = a + b;
    const sane = a === 0 && b > 0 && c > gapStart + 1 && c + d <= data.length && data[gapStart] === 0x3c && data[c - 1] === 0x3e;
    const hex = sane ? data.subarray(gapStart + 1, c - 1).toString('latin1') : '';
    fields.push({ range, contents: sane && /^[0-9a-fA-F\s]*$/.test(hex) ? Buffer.from(hex.replace(/\s+/g, ''), 'hex') : null });
  }
  return fields;
}

const invalid = (problem: SignatureProblem, extra: Partial<PdfSignature> = {}): PdfSignature => ({ status: 'invalid', problem, signer: null, issuer: null, signedAt: null, trusted: false, coversWholeFile: false, ...extra });

function signerCertificate(signed: pkijs.SignedData, info: pkijs.SignerInfo): pkijs.Certificate | undefined {
  const certificates = (signed.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const sid = info.sid;
  if (sid instanceof pkijs.IssuerAndSerialNumber) return certificates.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
  return certificates[0];
}

async function chainsToTrustList(signed: pkijs.SignedData, cert: pkijs.Certificate, trust: TrustList, at: Date): Promise<boolean> {
  if (trust.roots.length === 0) return false;
  const certs = (signed.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  try {
    const engine = new pkijs.CertificateChainValidationEngine({ trustedCerts: [...trust.roots], certs: [cert, ...certs.filter((c) => c !== cert)], checkDate: at });
    return (await engine.verify()).result;
  } catch {
    return false;
  }
}

/**
 * Verifies one CMS/PKCS#7 detached signature over the bytes its ByteRange covers: the digest of those bytes must be
 * the signed messageDigest attribute (else the document changed after signing), and the signature over the signed
 * attributes must verify with the signer certificate's public key. Whether that certificate chains to the trust
 * list is reported apart.
 */
async function verifyField(data: Buffer, field: SignatureField, trust: TrustList): Promise<PdfSignature> {
  if (!field.contents) return invalid('malformed');
  const [a, b, c, d] = field.range;
  const covered = Buffer.concat([data.subarray(a, a + b), data.subarray(c, c + d)]);
  let signed: pkijs.SignedData;
  try {
    const asn = asn1js.fromBER(toArrayBuffer(field.contents));
    if (asn.offset === -1) return invalid('malformed');
    const info = new pkijs.ContentInfo({ schema: asn.result });
    if (info.contentType !== OID.signedData) return invalid('malformed');
    signed = new pkijs.SignedData({ schema: info.content });
  } catch {
    return invalid('malformed');
  }
  const info = signed.signerInfos[0];
  if (!info) return invalid('malformed');
  const cert = signerCertificate(signed, info);
  const names = { signer: cert ? nameParts(cert.subject) : null, issuer: cert ? nameParts(cert.issuer) : null };
  const attributes = info.signedAttrs?.attributes ?? [];
  const timeAttr = attributes.find((x) => x.type === OID.signingTime)?.values[0] as asn1js.UTCTime | asn1js.GeneralizedTime | undefined;
  const signedAt = timeAttr ? timeAttr.toDate() : null;
  const base = { ...names, signedAt: signedAt?.toISOString() ?? null, coversWholeFile: c + d === data.length };
  const algorithm = DIGESTS[info.digestAlgorithm.algorithmId];
  const digestAttr = attributes.find((x) => x.type === OID.messageDigest)?.values[0];
  if (!algorithm || !cert || !(digestAttr instanceof asn1js.OctetString)) return invalid('malformed', base);
  const digest = createHash(algorithm).update(covered).digest();
  if (!digest.equals(Buffer.from(digestAttr.valueBlock.valueHexView))) return invalid('document_changed', base);
  let verified = false;
  try {
    verified = await signed.verify({ signer: 0, data: toArrayBuffer(covered), checkChain: false });
  } catch {
    verified = false;
  }
  if (!verified) return invalid('signature_mismatch', base);
  return { status: 'valid', problem: null, ...base, trusted: await chainsToTrustList(signed, cert, trust, signedAt ?? new Date()) };
}

/**
 * Verifies every signature of a PDF. The file is valid when each signature is, and the last one reaches the end of the
 * file: bytes appended after it are a change nobody signed.
 */
export async function verifyPdfSignatures(data: Buffer, trust: TrustList): Promise<SignatureReport> {
  const fields = signatureFields(data);
  if (fields.length === 0) return { status: 'unsigned', signatures: [], trusted: false };
  const signatures: PdfSignature[] = [];
  for (const f of fields) signatures.push(await verifyField(data, f, trust));
  const whole = signatures.some((s) => s.coversWholeFile);
  const last = signatures.at(-1);
  if (!whole && last?.status === 'valid') signatures[signatures.length - 1] = { ...last, status: 'invalid', problem: 'modified_after_signing' };
  const allValid = signatures.every((s) => s.status === 'valid');
  return { status: allValid ? 'valid' : 'invalid', signatures, trusted: allValid && signatures.every((s) => s.trusted) };
}

export const signatureProblemVi: Record<SignatureProblem, string> = {
  document_changed: 'tài liệu đã bị thay đổi sau khi ký',
  signature_mismatch: 'chữ ký không khớp với chứng thư số của người ký',
  modified_after_signing: 'tài liệu có nội dung được thêm vào sau chữ ký cuối cùng',
  malformed: 'không đọc được chữ ký',
};
