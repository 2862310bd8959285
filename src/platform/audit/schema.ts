import { type Static, Type } from 'typebox';
import { IsoDate } from '../http/common-schemas.ts';


export const AuditQuery = Type.Object(
  {
    action: Type.Optional(Type.String({ maxLength: 100, description: 'action or action prefix, e.g. "official." ' })),
    actor: Type.Optional(Type.String({ maxLength: 100, description: 'username of the actor' })),
    entityType: Type.Optional(Type.String({ maxLength: 50 })),
    entityId: Type.Optional(Type.String({ maxLength: 100 })),
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'cursor: events with a smaller sequence number' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditEvent = Type.Object({
  seq: Type.Integer({ description: 'global order of the event' }),
  stream: Type.Union([Type.Integer(), Type.Null()], { description: 'the hash chain (0–15) the event is on; null until the sealer has chained it' }),
  streamSeq: Type.Union([Type.Integer(), Type.Null()], { description: 'its position in that chain' }),
  occurredAt: Type.String({ format: 'date-time' }),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorLabel: Type.String(),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.String(),
  orgUnitId: Type.Union([Type.String(), Type.Null()]),
  summary: Type.Unknown(),
  requestId: Type.Union([Type.String(), Type.Null()]),
  hash: Type.Union([Type.String(), Type.Null()]),
});

export const AuditPage = Type.Object({
  items: Type.Array(AuditEvent),
  nextBefore: Type.Union([Type.Integer(), Type.Null()]),
});

const StreamHead = Type.Object({ stream: Type.Integer(), seq: Type.Integer(), hash: Type.String() });

export const AuditVerificationResponse = Type.Object({
  checked: Type.Integer(),
  heads: Type.Array(StreamHead, { description: 'where each stream ends (stream, position, hash)' }),
  checkpoints: Type.Integer({ description: 'signed checkpoints compared with the log' }),
  intact: Type.Boolean(),
  problems: Type.Array(Type.Object({ stream: Type.Integer(), seq: Type.Integer(), kind: Type.String(), detail: Type.String() })),
  warnings: Type.Array(Type.String()),
});
