import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TSchema } from 'typebox';
import { AppError, type ErrorCode, type FieldError } from '../platform/errors.ts';
import { schemaFieldErrors } from '../platform/http/validation.ts';
import { withIsoDates } from '../platform/time.ts';

/**
 * The text fields of a posted form, trimmed (passwords as typed), with empty ones left out as an API client would.
 * `prefixes` keeps fields named per row (e.g. `rowVersion_<key>` on a page that lists many records).
 */
export function formFields(body: unknown, keys: readonly string[], prefixes: readonly string[] = []): Record<string, string> {
  const b = (body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  const wanted = (k: string) => keys.includes(k) || prefixes.some((p) => k.startsWith(p));
  for (const [k, v] of Object.entries(b)) {
    if (!wanted(k) || typeof v !== 'string' || v.trim() === '') continue;
    out[k] = k.toLowerCase().includes('password') ? v : v.trim();
  }
  return out;
}

/** A form field that may repeat (checkboxes): always an array of strings. */
export function formList(body: unknown, name: string): string[] {
  const v = ((body ?? {}) as Record<string, unknown>)[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

/** What a page needs to show a form again: what the user typed, each field's message, and a message for the form. */
export interface FormState {
  readonly form: Readonly<Record<string, string>>;
  readonly errors: Readonly<Record<string, string>>;
  readonly fieldErrors: readonly FieldError[];
  /** The error's own message (for conflicts and refusals, the one to show above the form). */
  readonly message: string;
  readonly code: ErrorCode;
  readonly status: number;
}

export interface FormPost<I> {
  readonly fields: readonly string[];
  /** Fields named per row, kept by the start of their name. */
  readonly fieldPrefixes?: readonly string[];
  /** Fields typed as dd/MM/yyyy, passed on as YYYY-MM-DD. */
  readonly dates?: readonly string[];
  /** The contract the typed input must meet (the same schema as the API's body). */
  readonly schema?: TSchema;
  readonly toInput: (form: Readonly<Record<string, string>>) => I;
  /**
   * Rules beyond the schema that need the database (uniqueness, dates against what exists), checked with it so that
   * the page lists every problem at once; a field the schema already faulted is not reported twice.
   */
  readonly check?: (input: I) => Promise<readonly FieldError[]>;
  /** Calls the use case; answers where to go next (303), or a page it has sent (a step of a longer form). */
  readonly run: (input: I, form: Readonly<Record<string, string>>) => Promise<string | FastifyReply>;
  /** Shows the form again with what went wrong. */
  readonly render: (state: FormState) => FastifyReply | Promise<FastifyReply>;
  /** Errors the form reports next to its fields or above them, rather than as an error page. */
  readonly shown?: readonly ErrorCode[];
}

/**
 * One way for every form post: read the fields, turn typed dates into YYYY-MM-DD, check the contract, call the use
 * case and redirect; on a validation error, a conflict or a refusal, show the same form again with what the user typed
 * and each message next to its field (status 400/409/403), never losing the input.
 */
export async function handleFormPost<I>(request: FastifyRequest, reply: FastifyReply, post: FormPost<I>): Promise<FastifyReply> {
  const typed = formFields(request.body, post.fields, post.fieldPrefixes);
  const form = post.dates ? withIsoDates(typed, post.dates) : typed;
  try {
    const input = post.toInput(form);
    const schemaErrors = post.schema ? schemaFieldErrors(post.schema, input) : [];
    const ruleErrors = post.check ? (await post.check(input)).filter((e) => !schemaErrors.some((s) => s.field === e.field)) : [];
    const errors = [...schemaErrors, ...ruleErrors];
    if (errors.length > 0) throw AppError.validation(errors);
    const next = await post.run(input, form);
    return typeof next === 'string' ? reply.redirect(next, 303) : next;
  } catch (error) {
    const shown = post.shown ?? ['validation', 'conflict', 'forbidden'];
    if (!(error instanceof AppError) || !shown.includes(error.code)) throw error;
    const byField = Object.fromEntries(error.fieldErrors.map((f) => [f.field, f.messageVi]));
    return post.render({ form: typed, errors: byField, fieldErrors: error.fieldErrors, message: error.messageVi, code: error.code, status: error.httpStatus });
  }
}
