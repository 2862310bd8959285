import { type Static, Type } from 'typebox';
import { Uuid } from '../../platform/http/common-schemas.ts';

export const PersonalId = Type.String({ pattern: '^[0-9]{12}$', description: '12-digit personal identification number' });

export const CounterVerification = Type.Object(
  {
    orgUnitId: Type.String({ format: 'uuid', description: 'the counter (org unit) where the person showed their card' }),
    personalId: PersonalId,
    code: Type.String({ minLength: 8, maxLength: 12, description: 'the code the citizen shows from their account page' }),
  },
  { additionalProperties: false },
);
export type CounterVerification = Static<typeof CounterVerification>;

export const IdentityView = Type.Object({
  personalId: Type.Union([Type.String(), Type.Null()], { description: 'the personal ID the account claims' }),
  verified: Type.Boolean({ description: 'whether papers, results and dossiers recorded for that number reach this account' }),
  method: Type.Union([Type.Literal('vneid'), Type.Literal('counter'), Type.Null()]),
  verifiedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const CounterCodeView = Type.Object({ code: Type.String(), expiresAt: Type.String({ format: 'date-time' }) });

export const VerificationResult = Type.Object({ userId: Uuid, fullName: Type.String(), alreadyVerified: Type.Boolean() });

export const NewApiClient = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 200, description: 'what the integrator is, e.g. "Cổng dịch vụ công quốc gia – đồng bộ"' }),
    orgUnitId: Type.String({ format: 'uuid', description: 'the unit whose subtree the permissions apply to' }),
    permissions: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 50, description: 'permission names, e.g. dossiers.read' }),
  },
  { additionalProperties: false },
);
export type NewApiClient = Static<typeof NewApiClient>;

export const ApiClientView = Type.Object({
  id: Uuid,
  name: Type.String(),
  orgUnitId: Uuid,
  orgUnitName: Type.String(),
  permissions: Type.Array(Type.String()),
  keyPrefix: Type.String({ description: 'the first characters of the key, to tell keys apart' }),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export const CreatedApiClient = Type.Object({ ...ApiClientView.properties, key: Type.String({ description: 'the key, shown this once: send it as Authorization: Bearer <key>' }) });
