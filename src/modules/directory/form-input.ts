/** The string fields of a posted form, trimmed, with empty optional fields left out (as an API client would). */
export function formFields(body: unknown, names: readonly string[]): Record<string, string> {
  const b = (body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = b[n];
    if (typeof v === 'string' && v.trim() !== '') out[n] = n.toLowerCase().includes('password') ? v : v.trim();
  }
  return out;
}

/** A form field that may repeat (checkboxes): always an array of strings. */
export function formList(body: unknown, name: string): string[] {
  const v = ((body ?? {}) as Record<string, unknown>)[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}
