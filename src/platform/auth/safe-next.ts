const MAX_NEXT_LENGTH = 2000;

function hasControlCharacter(value: string): boolean {
  for (const c of value) {
    const code = c.codePointAt(0) ?? 0;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/**
 * Where to go after signing in: only a path on this site, since an absolute or protocol-relative URL would be an
 * open redirect. A Location header may carry ASCII only, so other characters are percent-encoded; anything odd
 * (no leading '/', '//', a backslash, a control character, an unencodable lone surrogate) falls back to '/'.
 * Computed before the password is checked, so a bad value can never fail a sign-in that already opened a session.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > MAX_NEXT_LENGTH || !next.startsWith('/')) return '/';
  if (next.includes('//') || next.includes('\\') || hasControlCharacter(next)) return '/';
  try {
    return next.replace(/[^\u0021-\u007e]/gu, (c) => encodeURIComponent(c));
  } catch {
    return '/';
  }
}
