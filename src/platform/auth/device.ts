import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The "known device" cookie: set after a successful sign-in, it lets later attempts on the same account skip the
 * back-off that strangers' failures cause, so nobody can keep the owner out by typing wrong passwords.
 * Value: `<user id>.<nonce>.<HMAC-SHA256(session secret, purpose, user id, nonce)>`; it grants nothing by itself.
 */
export const DEVICE_COOKIE = 'cqs_device';
export const DEVICE_COOKIE_DAYS = 365;

function mac(secret: string, userId: string, nonce: string): Buffer {
  // The purpose string keeps this MAC from ever equalling one made with the same secret for something else.
  return createHmac('sha256', secret).update(`cqs-device-v1\u0000${userId}\u0000${nonce}`).digest();
}

export function issueDeviceToken(secret: string, userId: string): string {
  const nonce = randomBytes(16).toString('base64url');
  return `${userId}.${nonce}.${mac(secret, userId, nonce).toString('base64url')}`;
}

/** The account a device token was issued to, or null when it is malformed or its MAC does not verify. */
export function deviceTokenUserId(secret: string, token: string | undefined): string | null {
  const parts = token?.split('.') ?? [];
  if (parts.length !== 3) return null;
  const [userId = '', nonce = '', given = ''] = parts;
  const expected = mac(secret, userId, nonce);
  const actual = Buffer.from(given, 'base64url');
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? userId : null;
}
