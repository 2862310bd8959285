import type { SignatureStatusColumn, StoredSignature } from '../../platform/db/schema.ts';
import type { SignatureView } from './schema.ts';

/** A stored file's signature verdict as the API and the pages show it. */
export const signatureViewOf = (f: { signature_status: SignatureStatusColumn; signature_trusted: boolean; signatures: readonly StoredSignature[] }): SignatureView => ({
  status: f.signature_status,
  trusted: f.signature_trusted,
  signatures: f.signatures.map((s) => ({ status: s.status, problem: s.problem, signer: s.signer, issuer: s.issuer, signedAt: s.signedAt, trusted: s.trusted })),
});
