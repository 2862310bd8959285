import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { Signer } from '@signpdf/utils';
import * as asn1js from 'asn1js';
import { PDFDocument } from 'pdf-lib';
import * as pkijs from 'pkijs';

/**
 * A certificate authority and signers made here (for the tests and the demo province; production results are signed
 * by the agencies' own software and certificates), and PDFs signed with them the way signing software does: a
 * signature placeholder added with pdf-lib, then a CMS detached signature with the signed attributes PAdES asks for
 * (content type, signing time, message digest, ESS signing-certificate-v2).
 */
pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto }));

const subtle = webcrypto.subtle;
const RSA = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as const;

export interface Party {
  readonly cert: pkijs.Certificate;
  readonly key: CryptoKey;
}

export interface CertificateAuthority {
  readonly ca: Party;
  /** The CA certificate as PEM: what a trust list holds. */
  readonly caPem: string;
  issue(subject: { commonName: string; organisation: string }): Promise<Party>;
}

function nameOf(n: { commonName: string; organisation: string }): pkijs.RelativeDistinguishedNames {
  return new pkijs.RelativeDistinguishedNames({
    typesAndValues: [
      new pkijs.AttributeTypeAndValue({ type: '2.5.4.6', value: new asn1js.PrintableString({ value: 'VN' }) }),
      new pkijs.AttributeTypeAndValue({ type: '2.5.4.10', value: new asn1js.Utf8String({ value: n.organisation }) }),
      new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: n.commonName }) }),
    ],
  });
}

async function certificate(subject: pkijs.RelativeDistinguishedNames, issuer: pkijs.RelativeDistinguishedNames, publicKey: CryptoKey, signingKey: CryptoKey, ca: boolean): Promise<pkijs.Certificate> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  // A random positive serial: certificates made in different runs never share one.
  const serial = randomBytes(8);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  cert.serialNumber = new asn1js.Integer({ valueHex: serial });
  cert.subject = subject;
  cert.issuer = issuer;
  cert.notBefore.value = new Date(Date.now() - 10 * 365 * 86_400_000);
  cert.notAfter.value = new Date(Date.now() + 10 * 365 * 86_400_000);
  const constraints = new pkijs.BasicConstraints({ cA: ca });
  // keyUsage: keyCertSign and cRLSign for the CA, digitalSignature and nonRepudiation for a signer.
  const usage = new asn1js.BitString({ valueHex: new Uint8Array([ca ? 0x06 : 0xc0]).buffer, unusedBits: 1 });
  cert.extensions = [
    new pkijs.Extension({ extnID: '2.5.29.19', critical: true, extnValue: constraints.toSchema().toBER(false), parsedValue: constraints }),
    new pkijs.Extension({ extnID: '2.5.29.15', critical: true, extnValue: usage.toBER(false) }),
  ];
  await cert.subjectPublicKeyInfo.importKey(publicKey);
  await cert.sign(signingKey, 'SHA-256');
  return cert;
}

export const certificatePem = (cert: pkijs.Certificate) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(cert.toSchema(true).toBER(false)).toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;

export async function makeCertificateAuthority(caName: { commonName: string; organisation: string }): Promise<CertificateAuthority> {
  const keys = (await subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
  const name = nameOf(caName);
  const ca = { cert: await certificate(name, name, keys.publicKey, keys.privateKey, true), key: keys.privateKey };
  return {
    ca,
    caPem: certificatePem(ca.cert),
    issue: async (subject) => {
      const k = (await subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
      return { cert: await certificate(nameOf(subject), ca.cert.subject, k.publicKey, ca.key, false), key: k.privateKey };
    },
  };
}

/** A CMS signer on pkijs: signed attributes, then an RSA signature with the signer's key; certificates carried along. */
class CmsSigner extends Signer {
  constructor(
    private readonly signer: Party,
    private readonly chain: readonly pkijs.Certificate[],
    private readonly keyOverride?: CryptoKey,
  ) {
    super();
  }

  override async sign(content: Buffer, signingTime?: Date): Promise<Buffer> {
    const digest = createHash('sha256').update(content).digest();
    const certHash = createHash('sha256').update(Buffer.from(this.signer.cert.toSchema(true).toBER(false))).digest();
    const essCertV2 = new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: certHash })] })] })] });
    const signed = new pkijs.SignedData({
      version: 1,
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.7.1' }),
      signerInfos: [
        new pkijs.SignerInfo({
          version: 1,
          sid: new pkijs.IssuerAndSerialNumber({ issuer: this.signer.cert.issuer, serialNumber: this.signer.cert.serialNumber }),
          signedAttrs: new pkijs.SignedAndUnsignedAttributes({
            type: 0,
            attributes: [
              new pkijs.Attribute({ type: '1.2.840.113549.1.9.3', values: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.7.1' })] }),
              new pkijs.Attribute({ type: '1.2.840.113549.1.9.5', values: [new asn1js.UTCTime({ valueDate: signingTime ?? new Date() })] }),
              new pkijs.Attribute({ type: '1.2.840.113549.1.9.4', values: [new asn1js.OctetString({ valueHex: digest })] }),
              new pkijs.Attribute({ type: '1.2.840.113549.1.9.16.2.47', values: [essCertV2] }),
            ],
          }),
        }),
      ],
      certificates: [this.signer.cert, ...this.chain],
    });
    await signed.sign(this.keyOverride ?? this.signer.key, 0, 'SHA-256');
    const info = new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: signed.toSchema(true) });
    return Buffer.from(info.toSchema().toBER(false));
  }
}

/**
 * Signs a PDF as `signer`. `forgeWith` signs with another key than the certificate's (a signature that does not match
 * the certificate).
 */
export async function signPdf(pdf: Buffer, signer: Party, options: { chain?: readonly pkijs.Certificate[]; signingTime?: Date; forgeWith?: CryptoKey } = {}): Promise<Buffer> {
  const doc = await PDFDocument.load(pdf);
  pdflibAddPlaceholder({ pdfDoc: doc, reason: 'Ký kết quả giải quyết', contactInfo: 'motcua@example.invalid', name: 'CQS', location: 'Khánh Hòa', signatureLength: 8192 });
  const prepared = Buffer.from(await doc.save({ useObjectStreams: false }));
  return new SignPdf().sign(prepared, new CmsSigner(signer, options.chain ?? [], options.forgeWith), options.signingTime);
}


/** A party kept on disk (the demo's signer): its certificate as PEM and its private key as PKCS#8 in base64. */
export async function exportParty(p: Party): Promise<{ certPem: string; keyPkcs8: string }> {
  return { certPem: certificatePem(p.cert), keyPkcs8: Buffer.from(await subtle.exportKey('pkcs8', p.key)).toString('base64') };
}

export async function importParty(saved: { certPem: string; keyPkcs8: string }): Promise<Party> {
  const der = Buffer.from(saved.certPem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, ''), 'base64');
  const cert = pkijs.Certificate.fromBER(der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength) as ArrayBuffer);
  return { cert, key: await subtle.importKey('pkcs8', Buffer.from(saved.keyPkcs8, 'base64'), RSA, true, ['sign']) };
}
