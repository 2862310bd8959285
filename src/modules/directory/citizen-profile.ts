import type { InstantContext } from '../../platform/use-case.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { Db, DbOrTx } from '../../platform/db/database.ts';
import { AppError, FieldErrors } from '../../platform/errors.ts';
import { ETHNIC_GROUPS } from './ethnic-groups.ts';
import { addressText, communesByCode, type Place, placeById } from './places.ts';
import type { CitizenProfileBody } from './schema.ts';

/** What a citizen's account knows about them: the account's own data and their profile (migrations/0030). */
export interface CitizenProfile {
  readonly userId: string;
  readonly fullName: string;
  readonly personalId: string | null;
  readonly phone: string | null;
  readonly email: string | null;
  readonly dateOfBirth: string | null;
  readonly sex: 'male' | 'female' | null;
  readonly ethnicity: string | null;
  readonly address: { readonly place: Place; readonly street: string; readonly text: string } | null;
}

/** A citizen's profile; null for an official's account or an unknown one. */
export async function citizenProfileOf(db: DbOrTx, userId: string): Promise<CitizenProfile | null> {
  const row = await db
    .selectFrom('users as u')
    .leftJoin('citizen_profiles as p', 'p.user_id', 'u.id')
    .select(['u.id', 'u.full_name', 'u.personal_id', 'u.phone', 'u.email', 'p.date_of_birth', 'p.sex', 'p.ethnicity', 'p.commune_id', 'p.street'])
    .where('u.id', '=', userId)
    .where('u.kind', '=', 'citizen')
    .executeTakeFirst();
  if (!row) return null;
  const place = row.commune_id ? await placeById(db, row.commune_id) : null;
  return {
    userId: row.id,
    fullName: row.full_name,
    personalId: row.personal_id,
    phone: row.phone,
    email: row.email,
    dateOfBirth: row.date_of_birth,
    sex: row.sex,
    ethnicity: row.ethnicity,
    address: place ? { place, street: row.street ?? '', text: addressText(row.street ?? '', place) } : null,
  };
}

/**
 * A citizen updates what their account says about them (contact, date of birth, sex, ethnicity, address), every
 * problem at once; the forms they fill in afterwards start from it.
 */
export async function updateCitizenProfile(db: Db, ctx: InstantContext, actor: Actor, userId: string, input: CitizenProfileBody): Promise<CitizenProfile> {
  const errors = new FieldErrors();
  if (input.ethnicity && !ETHNIC_GROUPS.includes(input.ethnicity)) errors.add('ethnicity', 'choice', 'Chọn một dân tộc trong danh sách.', 'Not one of the 54 ethnic groups.');
  const commune = input.address ? (await communesByCode(db, [input.address.commune])).get(input.address.commune) : undefined;
  if (input.address && !commune) errors.add('address.commune', 'unknown', 'Chọn phường, xã đang có hiệu lực.', 'No commune in force with this code.');
  errors.throwIfAny();
  const before = await citizenProfileOf(db, userId);
  if (!before) throw new AppError('forbidden', { messageVi: 'Chỉ tài khoản công dân có thông tin cá nhân.' });
  const profile = {
    date_of_birth: input.dateOfBirth ?? null,
    sex: input.sex ?? null,
    ethnicity: input.ethnicity ?? null,
    commune_id: commune?.communeId ?? null,
    street: input.address ? input.address.street.trim() : null,
  };
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('users').set({ phone: input.phone ?? null, email: input.email ?? null, updated_at: ctx.now }).where('id', '=', userId).execute();
    await tx
      .insertInto('citizen_profiles')
      .values({ user_id: userId, ...profile, updated_at: ctx.now })
      .onConflict((oc) => oc.column('user_id').doUpdateSet((eb) => ({ ...profile, row_version: eb('citizen_profiles.row_version', '+', 1), updated_at: ctx.now })))
      .execute();
    await recordAudit(tx, actor, {
      action: 'citizen.profile_updated',
      entityType: 'user',
      entityId: userId,
      before: { phone: before.phone, email: before.email, dateOfBirth: before.dateOfBirth, sex: before.sex, ethnicity: before.ethnicity, address: before.address?.text ?? null },
      after: { phone: input.phone ?? null, email: input.email ?? null, dateOfBirth: profile.date_of_birth, sex: profile.sex, ethnicity: profile.ethnicity, address: commune && input.address ? addressText(input.address.street, commune) : null },
    });
  });
  const after = await citizenProfileOf(db, userId);
  if (!after) throw new AppError('internal');
  return after;
}
