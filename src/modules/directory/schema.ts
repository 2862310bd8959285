import { type Static, Type } from 'typebox';
import { IsoDate, Uuid } from '../../platform/http/common-schemas.ts';

export const AdminUnitQuery = Type.Object(
  {
    code: Type.Optional(Type.String({ pattern: '^[0-9]{2,5}$', description: 'GSO statistical code' })),
    q: Type.Optional(Type.String({ minLength: 2, maxLength: 100, description: 'name, with or without diacritics' })),
    on: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);
export type AdminUnitQuery = Static<typeof AdminUnitQuery>;

const UnitView = Type.Object({
  id: Type.String(),
  code: Type.String(),
  level: Type.String(),
  kind: Type.String(),
  name: Type.String(),
  fullName: Type.String(),
  validFrom: Type.String(),
  validTo: Type.Union([Type.String(), Type.Null()]),
  parents: Type.Array(Type.Object({ id: Type.String(), fullName: Type.String() })),
});
const LinkedUnit = Type.Object({ ...UnitView.properties, linkKind: Type.String() });
export const AdminUnitList = Type.Array(UnitView);
export const AdminUnitHistoryView = Type.Object({ ...UnitView.properties, predecessors: Type.Array(LinkedUnit), current: Type.Array(LinkedUnit) });
export const IdParams = Type.Object({ id: Uuid });

export const PersonalIdField = Type.String({ minLength: 1, maxLength: 12, description: '12-digit personal identification number' });
export const PhoneField = Type.String({ pattern: '^0[0-9]{9}$', description: 'Vietnamese mobile number, 10 digits' });
export const EmailField = Type.String({ format: 'email', maxLength: 200 });

export const CitizenRegistration = Type.Object(
  {
    personalId: PersonalIdField,
    fullName: Type.String({ minLength: 2, maxLength: 200 }),
    email: Type.Optional(EmailField),
    phone: Type.Optional(PhoneField),
    password: Type.String({ minLength: 1, maxLength: 200 }),
    passwordConfirmation: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type CitizenRegistration = Static<typeof CitizenRegistration>;

export const OrgUnitKind = Type.Union([
  Type.Literal('people_committee'),
  Type.Literal('department'),
  Type.Literal('service_centre'),
  Type.Literal('office'),
  Type.Literal('division'),
  Type.Literal('other'),
]);
export const AgencyCode = Type.String({ pattern: '^[0-9]{3}\\.[0-9]{2}\\.[0-9]{2}\\.[A-Z][0-9]{2}$', description: 'QCVN 102 form, e.g. 000.00.01.H32' });

const GoverningBody = Type.String({ minLength: 2, maxLength: 300, description: 'governing body printed above the unit on official forms; absent: the parent unit' });
const PlaceName = Type.String({ minLength: 2, maxLength: 100, description: 'place name (địa danh) of the forms\' date line; absent: from the administrative unit' });

export const NewOrgUnit = Type.Object(
  {
    parentId: Uuid,
    name: Type.String({ minLength: 2, maxLength: 300 }),
    shortName: Type.Optional(Type.String({ maxLength: 100 })),
    kind: OrgUnitKind,
    agencyCode: Type.Optional(AgencyCode),
    agencyCodeNote: Type.Optional(Type.String({ maxLength: 300 })),
    governingBody: Type.Optional(GoverningBody),
    placeName: Type.Optional(PlaceName),
  },
  { additionalProperties: false },
);
export type NewOrgUnit = Static<typeof NewOrgUnit>;

export const OrgUnitPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 2, maxLength: 300 })),
    shortName: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
    kind: Type.Optional(OrgUnitKind),
    agencyCode: Type.Optional(Type.Union([AgencyCode, Type.Null()])),
    agencyCodeNote: Type.Optional(Type.Union([Type.String({ maxLength: 300 }), Type.Null()])),
    governingBody: Type.Optional(Type.Union([GoverningBody, Type.Null()])),
    placeName: Type.Optional(Type.Union([PlaceName, Type.Null()])),
  },
  { additionalProperties: false },
);
export type OrgUnitPatch = Static<typeof OrgUnitPatch>;

export const OrgUnitView = Type.Object({
  id: Type.String(),
  parentId: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  shortName: Type.Union([Type.String(), Type.Null()]),
  kind: Type.String(),
  agencyCode: Type.Union([Type.String(), Type.Null()]),
  agencyCodeNote: Type.Union([Type.String(), Type.Null()]),
  governingBody: Type.Union([Type.String(), Type.Null()], { description: 'as set on the unit (null: the parent unit is printed)' }),
  placeName: Type.Union([Type.String(), Type.Null()], { description: 'as set on the unit (null: from the administrative unit)' }),
  depth: Type.Integer(),
  validFrom: Type.String(),
  validTo: Type.Union([Type.String(), Type.Null()]),
  rowVersion: Type.Integer(),
});
export type OrgUnitView = Static<typeof OrgUnitView>;
export const OrgUnitList = Type.Array(OrgUnitView);

export const RoleField = Type.Union([
  Type.Literal('one_stop_officer'),
  Type.Literal('specialist'),
  Type.Literal('department_leader'),
  Type.Literal('agency_leader'),
  Type.Literal('clerk'),
  Type.Literal('reporting_officer'),
  Type.Literal('administrator'),
]);

export const NewOfficial = Type.Object(
  {
    username: Type.String({ pattern: '^[a-z0-9._-]{3,50}$', description: 'lower-case letters, digits, . _ -' }),
    fullName: Type.String({ minLength: 2, maxLength: 200 }),
    email: Type.Optional(EmailField),
    phone: Type.Optional(PhoneField),
    orgUnitId: Uuid,
    roles: Type.Array(RoleField, { minItems: 1, maxItems: 7 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type NewOfficial = Static<typeof NewOfficial>;

export const OfficialPatch = Type.Object(
  {
    fullName: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })),
    email: Type.Optional(Type.Union([EmailField, Type.Null()])),
    phone: Type.Optional(Type.Union([PhoneField, Type.Null()])),
  },
  { additionalProperties: false },
);
export type OfficialPatch = Static<typeof OfficialPatch>;

export const RoleGrantBody = Type.Object({ orgUnitId: Uuid, role: RoleField }, { additionalProperties: false });
export type RoleGrantBody = Static<typeof RoleGrantBody>;
export const PasswordBody = Type.Object({ password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });

export const OfficialView = Type.Object({
  id: Type.String(),
  username: Type.String(),
  fullName: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  rowVersion: Type.Integer(),
  roles: Type.Array(Type.Object({ id: Type.String(), role: Type.String(), orgUnitId: Type.String(), orgUnitName: Type.String() })),
});
export type OfficialView = Static<typeof OfficialView>;

export const OfficialQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100 })),
    orgUnitId: Type.Optional(Uuid),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type OfficialQuery = Static<typeof OfficialQuery>;
export const OfficialList = Type.Object({ items: Type.Array(OfficialView), total: Type.Integer() });

/** An address on the directory's administrative units: a commune in force (by its GSO code) and the street part. */
export const AddressInput = Type.Object(
  {
    commune: Type.String({ pattern: '^[0-9]{5}$', description: 'GSO code of a commune in force (GET /api/v1/admin-units?q=…)' }),
    street: Type.String({ minLength: 1, maxLength: 200, description: 'house number, street, hamlet or residential group' }),
  },
  { additionalProperties: false },
);
export type AddressInput = Static<typeof AddressInput>;

export const CitizenProfileBody = Type.Object(
  {
    phone: Type.Optional(Type.Union([PhoneField, Type.Null()])),
    email: Type.Optional(Type.Union([EmailField, Type.Null()])),
    dateOfBirth: Type.Optional(Type.Union([IsoDate, Type.Null()])),
    sex: Type.Optional(Type.Union([Type.Literal('male'), Type.Literal('female'), Type.Null()])),
    ethnicity: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 50, description: 'one of the 54 ethnic groups, e.g. Kinh' }), Type.Null()])),
    address: Type.Optional(Type.Union([AddressInput, Type.Null()])),
  },
  { additionalProperties: false, description: 'the whole profile: a property left out is cleared' },
);
export type CitizenProfileBody = Static<typeof CitizenProfileBody>;

export const CitizenProfileView = Type.Object({
  fullName: Type.String(),
  personalId: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  dateOfBirth: Type.Union([Type.String(), Type.Null()]),
  sex: Type.Union([Type.Literal('male'), Type.Literal('female'), Type.Null()]),
  ethnicity: Type.Union([Type.String(), Type.Null()]),
  address: Type.Union([Type.Object({ commune: Type.String(), street: Type.String(), text: Type.String() }), Type.Null()]),
});
