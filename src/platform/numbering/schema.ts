import { type Static, Type } from 'typebox';
import { IsoDate } from '../http/common-schemas.ts';

export const ResetPeriod = Type.Union([Type.Literal('none'), Type.Literal('daily'), Type.Literal('yearly')]);
export const Allocation = Type.Union([Type.Literal('local'), Type.Literal('upstream')]);
export const ScopeKind = Type.Union([Type.Literal('province'), Type.Literal('agency'), Type.Literal('agency_document_type')]);

/** A new effective-dated version of an existing series; record type, scope and parts stay those of the series. */
export const NewSeriesVersion = Type.Object(
  {
    key: Type.String({ pattern: '^[a-z][a-z0-9_]{1,62}$', description: 'the series, e.g. dossier_code' }),
    template: Type.String({ minLength: 1, maxLength: 200, description: 'tokens: {agency} {unit} {type} {yyyy} {yy} {MM} {dd} {yyMMdd} {yyyyMMdd} {seq} {seq:N}' }),
    resetPeriod: ResetPeriod,
    allocation: Allocation,
    validFrom: IsoDate,
    legalBasis: Type.String({ minLength: 3, maxLength: 300 }),
    description: Type.Optional(Type.String({ minLength: 3, maxLength: 300, description: 'defaults to the current version’s' })),
  },
  { additionalProperties: false },
);
export type NewSeriesVersion = Static<typeof NewSeriesVersion>;

export const SeriesVersionView = Type.Object({
  id: Type.Integer(),
  key: Type.String(),
  recordType: Type.String(),
  scopeKind: ScopeKind,
  parts: Type.Array(Type.String()),
  resetPeriod: ResetPeriod,
  template: Type.String(),
  allocation: Allocation,
  description: Type.String(),
  legalBasis: Type.Union([Type.String(), Type.Null()]),
  validFrom: Type.String(),
  validTo: Type.Union([Type.String(), Type.Null()]),
  rowVersion: Type.Integer({ description: 'send it as If-Match when adding a version after this one' }),
  state: Type.Union([Type.Literal('in_force'), Type.Literal('past'), Type.Literal('future')]),
  example: Type.String({ description: 'the number the template gives today for value 1, with sample parts' }),
});

export const SeriesList = Type.Object({ items: Type.Array(SeriesVersionView) });

export const SkipsQuery = Type.Object(
  {
    seriesKey: Type.Optional(Type.String({ maxLength: 63 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type SkipsQuery = Static<typeof SkipsQuery>;

export const SkipView = Type.Object({
  seriesKey: Type.String(),
  scopeKey: Type.String(),
  scopeName: Type.Union([Type.String(), Type.Null()]),
  periodKey: Type.String(),
  value: Type.Integer(),
  number: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
  actorLabel: Type.String(),
  recordedAt: Type.String(),
});
export type SkipView = Static<typeof SkipView>;

export const SkipList = Type.Object({ items: Type.Array(SkipView), total: Type.Integer() });
