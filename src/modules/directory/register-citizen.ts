import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import { hashPassword, passwordPolicyErrors } from '../../platform/auth/password.ts';
import { countHit, type RateLimit } from '../../platform/auth/throttle.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError, type FieldError, fieldError } from '../../platform/errors.ts';
import { schemaFieldErrors } from '../../platform/http/validation.ts';
import { personalIdMessages, validatePersonalId } from './personal-id.ts';
import { CitizenRegistration } from './schema.ts';

/** Every problem of a registration at once: schema, personal id structure, password policy and confirmation. */
export function registrationErrors(input: Record<string, unknown>): FieldError[] {
  const errors = schemaFieldErrors(CitizenRegistration, input);
  const has = (f: string) => errors.some((e) => e.field === f);
  const personalId = typeof input.personalId === 'string' ? input.personalId.trim() : '';
  if (!has('personalId')) {
    const check = validatePersonalId(personalId);
    if (!check.ok) errors.push(fieldError('personalId', `personal_id_${check.reason}`, ...personalIdMessages[check.reason]));
  }
  const password = typeof input.password === 'string' ? input.password : '';
  if (!has('password')) errors.push(...passwordPolicyErrors(password, personalId));
  if (!has('passwordConfirmation') && input.passwordConfirmation !== password) {
    errors.push(fieldError('passwordConfirmation', 'mismatch', 'Mật khẩu nhập lại không khớp.', 'Passwords do not match.'));
  }
  return errors;
}

/** Registrations from one client address, per hour (the page and the API together). */
export function registrationLimit(ip: string, perHour: number): RateLimit {
  return {
    key: `registration:${ip}`,
    max: perHour,
    windowSeconds: 3600,
    messageVi: (minutes) => `Đã có quá nhiều lượt đăng ký tài khoản từ địa chỉ mạng này. Vui lòng thử lại sau ${minutes} phút.`,
  };
}

/**
 * Registers a citizen account. `limit` is counted once the input is valid and before the password is hashed, so a
 * typo does not use up the limit and a flood of valid requests does not each pay for argon2 (throws Throttled).
 */
export async function registerCitizen(db: Db, actor: Actor, input: CitizenRegistration, limit?: RateLimit): Promise<string> {
  const errors = registrationErrors(input);
  if (errors.length > 0) throw AppError.validation(errors);
  if (limit) await countHit(db, limit);
  const personalId = input.personalId.trim();
  const hash = await hashPassword(input.password);
  return db.transaction().execute(async (tx) => {
    const taken = await tx.selectFrom('users').select('id').where((eb) => eb.or([eb('username', '=', personalId), eb('personal_id', '=', personalId)])).executeTakeFirst();
    if (taken) {
      throw AppError.validation([fieldError('personalId', 'duplicate', 'Số định danh này đã có tài khoản. Hãy đăng nhập hoặc liên hệ bộ phận một cửa.', 'This number already has an account.')]);
    }
    const user = await tx
      .insertInto('users')
      .values({ kind: 'citizen', username: personalId, personal_id: personalId, full_name: input.fullName.trim(), email: input.email ?? null, phone: input.phone ?? null, password_hash: hash, locked_until: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(tx, { ...actor, id: actor.id ?? user.id }, { action: 'citizen.registered', entityType: 'user', entityId: user.id, after: { fullName: input.fullName.trim() } });
    return user.id;
  });
}
