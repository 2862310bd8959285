import argon2 from 'argon2';
import { type FieldError, fieldError } from '../errors.ts';

// argon2id with 64 MiB memory: memory-hard, OWASP's recommended parameters class.
const HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 65536, timeCost: 3, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, HASH_OPTIONS);
}

/**
 * What an account without a password (created through VNeID, or whose password was revoked) holds instead of a hash:
 * no password matches it.
 */
export const NO_PASSWORD = '!';

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  // Checked against the dummy hash, so that an account without a password answers in the same time as any other.
  if (hash === NO_PASSWORD) return verifyAgainstDummy(password).then(() => false);
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

// A fixed hash to verify against when the user does not exist, so that timing does not reveal which usernames exist.
let dummyHash: Promise<string> | undefined;
export function verifyAgainstDummy(password: string): Promise<boolean> {
  dummyHash ??= hashPassword('cqs-dummy-password-for-timing');
  return dummyHash.then((h) => verifyPassword(h, password));
}

/** Password policy: 10–128 characters, at least three of lower, upper, digit, symbol; not containing the username. */
export function passwordPolicyErrors(password: string, username: string, field = 'password'): FieldError[] {
  const errors: FieldError[] = [];
  if (password.length < 10 || password.length > 128) {
    errors.push(fieldError(field, 'password_length', 'Mật khẩu phải dài từ 10 đến 128 ký tự.', 'Password must be 10–128 characters.'));
  }
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) {
    errors.push(
      fieldError(
        field,
        'password_classes',
        'Mật khẩu cần ít nhất 3 trong 4 loại: chữ thường, chữ hoa, chữ số, ký tự đặc biệt.',
        'Password needs three of: lower case, upper case, digit, symbol.',
      ),
    );
  }
  if (username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) {
    errors.push(fieldError(field, 'password_username', 'Mật khẩu không được chứa tên đăng nhập.', 'Password must not contain the username.'));
  }
  return errors;
}
