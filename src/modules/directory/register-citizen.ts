import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import { issueAccountToken, linkToken, takeAccountToken } from '../../platform/auth/account-tokens.ts';
import { notifyAccountOwner } from '../../platform/auth/notify-account.ts';
import { hashPassword, passwordPolicyErrors } from '../../platform/auth/password.ts';
import { countHit, type RateLimit } from '../../platform/auth/throttle.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError, type FieldError, fieldError } from '../../platform/errors.ts';
import { schemaFieldErrors } from '../../platform/http/validation.ts';
import { personalIdMessages, validatePersonalId } from './personal-id.ts';
import { CitizenRegistration } from './schema.ts';

/** How long an activation link works; a registration not activated by then is removed (housekeeping). */
export const ACTIVATION_HOURS = 48;

/** Every problem of a registration at once: schema, personal id structure, password policy, confirmation, a contact. */
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
  if (!has('phone') && !has('email') && !input.phone && !input.email) {
    errors.push(fieldError('phone', 'contact_required', 'Nhập số điện thoại hoặc thư điện tử để nhận liên kết kích hoạt tài khoản.', 'Give a phone number or an e-mail address for the activation link.'));
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

/** What every registration is answered, whether or not the number already had an account. */
export const REGISTRATION_SENT_VI = `Nếu thông tin hợp lệ, chúng tôi đã gửi liên kết kích hoạt tài khoản tới thư điện tử hoặc số điện thoại bạn khai (hiệu lực ${ACTIVATION_HOURS} giờ). Mở liên kết để hoàn tất đăng ký.`;

/**
 * Registers a citizen account, answering the same whether or not the personal ID already has one, so that the
 * registration form cannot be used to find out who has an account. Every valid registration costs the same (the
 * password is hashed, one transaction, messages through the outbox); what differs goes only to the contacts:
 * - a new number: the account is created pending and the activation link is sent to the contact given (a pending
 *   registration of the same number is replaced: only the latest link works);
 * - a number with an account: nothing changes; the contact given is told that the number already has an account
 *   (and how to have an identity verified if it is not theirs), and the account's owner that someone tried.
 * `limit` is counted once the input is valid and before the password is hashed (throws Throttled).
 */
export async function registerCitizen(db: Db, actor: Actor, input: CitizenRegistration, limit: RateLimit | undefined, context: { readonly publicUrl: string; readonly now: Date }): Promise<void> {
  const errors = registrationErrors(input);
  if (errors.length > 0) throw AppError.validation(errors);
  if (limit) await countHit(db, limit, context.now);
  const personalId = input.personalId.trim();
  const fullName = input.fullName.trim();
  const contact = { email: input.email ?? null, phone: input.phone ?? null };
  const hash = await hashPassword(input.password);
  await db.transaction().execute(async (tx) => {
    const taken = await tx
      .selectFrom('users')
      .select(['id', 'status', 'email', 'phone'])
      .where((eb) => eb.or([eb('username', '=', personalId), eb('personal_id', '=', personalId)]))
      .forUpdate()
      .executeTakeFirst();
    if (taken && taken.status !== 'pending') {
      const key = `registration-attempt:${taken.id}:${context.now.getTime()}`;
      await notifyAccountOwner(tx, { id: taken.id, ...contact }, {
        key: `${key}:registrant`,
        subject: 'Đăng ký tài khoản dịch vụ công',
        text: 'Số định danh bạn khai đã có tài khoản dịch vụ công. Nếu là tài khoản của bạn, hãy đăng nhập. Nếu không phải, hãy đăng nhập bằng VNeID hoặc đến bộ phận một cửa mang theo thẻ căn cước để xác minh danh tính.',
      });
      await notifyAccountOwner(tx, taken, {
        key: `${key}:owner`,
        subject: 'Có người đăng ký bằng số định danh của bạn',
        text: 'Có người vừa đăng ký tài khoản dịch vụ công bằng số định danh của bạn. Tài khoản của bạn không thay đổi; nếu không phải bạn, không cần làm gì.',
      });
      await recordAudit(tx, actor, { action: 'citizen.registration_refused', entityType: 'user', entityId: taken.id, after: { reason: 'personal_id_taken' } });
      return;
    }
    const values = { full_name: fullName, email: contact.email, phone: contact.phone, password_hash: hash, password_changed_at: context.now, updated_at: context.now };
    const userId = taken
      ? (await tx.updateTable('users').set(values).where('id', '=', taken.id).returning('id').executeTakeFirstOrThrow()).id
      : (await tx.insertInto('users').values({ kind: 'citizen', username: personalId, personal_id: personalId, status: 'pending', locked_until: null, ...values }).returning('id').executeTakeFirstOrThrow()).id;
    const token = linkToken();
    await issueAccountToken(tx, userId, 'activation', token, new Date(context.now.getTime() + ACTIVATION_HOURS * 3_600_000));
    const link = `${context.publicUrl}/dang-ky/kich-hoat?ma=${token}`;
    await notifyAccountOwner(tx, { id: userId, ...contact }, {
      key: `activation:${userId}:${context.now.getTime()}`,
      subject: 'Kích hoạt tài khoản dịch vụ công',
      text: `Mở liên kết sau để kích hoạt tài khoản dịch vụ công (hiệu lực ${ACTIVATION_HOURS} giờ): ${link} . Nếu bạn không đăng ký, hãy bỏ qua tin này.`,
    });
    await recordAudit(tx, { ...actor, id: actor.id ?? userId }, { action: taken ? 'citizen.registration_renewed' : 'citizen.registered', entityType: 'user', entityId: userId, after: { fullName, status: 'pending' } });
  });
}

export const ACTIVATION_FAILED_VI = 'Liên kết kích hoạt không đúng, đã dùng hoặc đã hết hạn. Hãy đăng ký lại.';

/**
 * Activates a pending registration with the link's token (once). A wrong, used or expired token is a field error on
 * `token`, thrown after the transaction so that a token taken for an account no longer pending stays used.
 */
export async function activateCitizen(db: Db, actor: Actor, token: string, now: Date): Promise<void> {
  const activated = await db.transaction().execute(async (tx) => {
    const userId = await takeAccountToken(tx, 'activation', token, now);
    if (!userId) return false;
    const activated = await tx.updateTable('users').set({ status: 'active', updated_at: now }).where('id', '=', userId).where('status', '=', 'pending').returning('id').executeTakeFirst();
    if (!activated) return false;
    await recordAudit(tx, { ...actor, id: actor.id ?? userId }, { action: 'citizen.activated', entityType: 'user', entityId: userId, before: { status: 'pending' }, after: { status: 'active' } });
    return true;
  });
  if (!activated) throw AppError.validation([{ field: 'token', code: 'invalid', messageVi: ACTIVATION_FAILED_VI, messageEn: 'Wrong, used or expired activation token.' }]);
}
