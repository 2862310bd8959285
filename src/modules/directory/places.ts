import type { DbOrTx } from '../../platform/db/database.ts';
import type { AddressChoices } from '../../web/address-field.tsx';

/** A commune in force and its province, as an address on a form names them. */
export interface Place {
  readonly communeId: string;
  readonly communeCode: string;
  readonly communeName: string;
  readonly provinceCode: string;
  readonly provinceName: string;
}

export interface PlaceChoice {
  readonly code: string;
  readonly name: string;
}

/** The provinces in force, for the first part of an address. */
export async function currentProvinces(db: DbOrTx): Promise<PlaceChoice[]> {
  const rows = await db.selectFrom('admin_units').select(['code', 'full_name']).where('level', '=', 'province').where('valid_to', 'is', null).orderBy('full_name').execute();
  return rows.map((r) => ({ code: r.code, name: r.full_name }));
}

/** The communes (xã, phường, đặc khu) in force in one province, by name. */
export async function communesOf(db: DbOrTx, provinceCode: string): Promise<PlaceChoice[]> {
  const rows = await db
    .selectFrom('admin_units as c')
    .innerJoin('admin_units as p', 'p.id', 'c.parent_id')
    .select(['c.code', 'c.full_name'])
    .where('c.level', '=', 'commune')
    .where('c.valid_to', 'is', null)
    .where('p.code', '=', provinceCode)
    .where('p.level', '=', 'province')
    .where('p.valid_to', 'is', null)
    .orderBy('c.full_name')
    .execute();
  return rows.map((r) => ({ code: r.code, name: r.full_name }));
}

const placeQuery = (db: DbOrTx) =>
  db
    .selectFrom('admin_units as c')
    .innerJoin('admin_units as p', 'p.id', 'c.parent_id')
    .select(['c.id', 'c.code', 'c.full_name', 'p.code as province_code', 'p.full_name as province_name'])
    .where('c.level', '=', 'commune')
    .where('p.level', '=', 'province');

const placeOf = (r: { id: string; code: string; full_name: string; province_code: string; province_name: string }): Place => ({
  communeId: r.id,
  communeCode: r.code,
  communeName: r.full_name,
  provinceCode: r.province_code,
  provinceName: r.province_name,
});

/** Communes in force by their GSO code (a code may be reused by a unit of another era, so only units in force). */
export async function communesByCode(db: DbOrTx, codes: readonly string[]): Promise<Map<string, Place>> {
  if (codes.length === 0) return new Map();
  const rows = await placeQuery(db).where('c.code', 'in', [...new Set(codes)]).where('c.valid_to', 'is', null).execute();
  return new Map(rows.map((r) => [r.code, placeOf(r)]));
}

/** A commune by id, in force or not (an address recorded before a merger still names the unit it was given). */
export async function placeById(db: DbOrTx, communeId: string): Promise<Place | null> {
  const r = await placeQuery(db).where('c.id', '=', communeId).executeTakeFirst();
  return r ? placeOf(r) : null;
}

/** The province the installation serves: the one its root org unit stands for, when it stands for one. */
export async function homeProvinceCode(db: DbOrTx): Promise<string | null> {
  const r = await db
    .selectFrom('org_units as ou')
    .innerJoin('admin_units as au', 'au.id', 'ou.admin_unit_id')
    .select('au.code')
    .where('ou.parent_id', 'is', null)
    .where('ou.valid_to', 'is', null)
    .where('au.level', '=', 'province')
    .orderBy('ou.created_at')
    .executeTakeFirst();
  return r?.code ?? null;
}

/** An address as one line: street, commune, province. */
export const addressText = (street: string, place: Pick<Place, 'communeName' | 'provinceName'>) => [street.trim(), place.communeName, place.provinceName].filter((p) => p !== '').join(', ');

/**
 * The lists an address field shows: every province in force, and the communes of the province asked for, else of the
 * commune's province, else of the installation's province.
 */
export async function addressChoices(db: DbOrTx, wanted: { province?: string | undefined; commune?: string | undefined }): Promise<AddressChoices> {
  const provinces = await currentProvinces(db);
  const has = (code: string | null | undefined): code is string => !!code && provinces.some((p) => p.code === code);
  const ofCommune = wanted.commune ? (await communesByCode(db, [wanted.commune])).get(wanted.commune)?.provinceCode : undefined;
  const home = await homeProvinceCode(db);
  const province = [wanted.province, ofCommune, home, provinces[0]?.code].find(has) ?? '';
  return { provinces, province, communes: province ? await communesOf(db, province) : [] };
}
