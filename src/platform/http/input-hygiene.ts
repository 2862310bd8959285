import type { FastifyRequest } from 'fastify';
import { AppError, type FieldError, fieldError } from '../errors.ts';
import type { App } from './server.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for here
const CONTROL = /[\u0000-\u001f\u007f]/;
const NUL = '\u0000';

const problem = (field: string) => fieldError(field, 'control_character', 'Không được chứa ký tự điều khiển (ví dụ ký tự NUL).', 'Must not contain control characters.');

/** Every string inside `value` that `bad` matches, as one field error per path. */
function collect(value: unknown, path: string, bad: (s: string) => boolean, out: FieldError[], depth = 0): void {
  if (typeof value === 'string') {
    if (bad(value)) out.push(problem(path));
  } else if (Array.isArray(value)) {
    if (depth < 8) {
      value.forEach((v, i) => {
        collect(v, path === '' ? String(i) : `${path}.${i}`, bad, out, depth + 1);
      });
    }
  } else if (typeof value === 'object' && value !== null && depth < 8) {
    for (const [k, v] of Object.entries(value)) {
      if (bad(k)) out.push(problem(path === '' ? 'field' : path));
      collect(v, path === '' ? k : `${path}.${k}`, bad, out, depth + 1);
    }
  }
}

/**
 * Control characters never belong in a path segment or a query parameter, and PostgreSQL cannot store NUL in text at
 * all: left alone, `%00` in a code or a filter reaches the database and answers 500. They are refused once here, for
 * every route, as a 400 listing each field (an HTML error page for pages). Bodies may carry line breaks and tabs
 * (text areas), so only NUL is refused there.
 */
export function registerInputHygiene(app: App): void {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const errors: FieldError[] = [];
    collect(request.params, '', (s) => CONTROL.test(s), errors);
    collect(request.query, '', (s) => CONTROL.test(s), errors);
    if (errors.length > 0) throw AppError.validation(errors);
  });
}

/** The same for bodies, once multipart forms have been read into one. */
export function registerBodyHygiene(app: App): void {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const errors: FieldError[] = [];
    collect(request.body, '', (s) => s.includes(NUL), errors);
    if (errors.length > 0) throw AppError.validation(errors);
  });
}
