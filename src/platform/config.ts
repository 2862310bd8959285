import { randomBytes } from 'node:crypto';
import path from 'node:path';

/** Typed configuration, read from the environment in this one place. Secrets never come from files in the repo. */
export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** postgres://… to use a PostgreSQL server; undefined for the embedded database in `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly sessionSecret: string;
  readonly sessionTtlHours: number;
  readonly loginMaxFailures: number;
  readonly loginLockMinutes: number;
  /** Sign-in attempts allowed per client address and minute. */
  readonly loginRatePerMinute: number;
  /** File uploads allowed per account (or address) and minute. */
  readonly uploadsPerMinute: number;
  /** Public look-ups of a dossier by its code, per client address and minute. */
  readonly lookupsPerMinute: number;
  readonly loadDemoData: boolean;
  readonly logLevel: string;
  readonly publicUrl: string;
  readonly secureCookies: boolean;
  /** smtp://… of the mail relay; unset: a local SMTP sink (demo and tests), nothing leaves the machine. */
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** URL of the SMS gateway and the secret its requests are signed with; unset: the local simulator. */
  readonly smsUrl: string | undefined;
  readonly smsSecret: string | undefined;
  /** How long the outbox worker waits for one delivery (SMTP, SMS gateway…) before it retries later. */
  readonly outboxTimeoutMs: number;
  /** Base URL of the payment gateway and the shared secret of its protocol; unset: the local simulator. */
  readonly paymentUrl: string | undefined;
  readonly paymentSecret: string | undefined;
  /** Base URL of the postal operator and the secret of its protocol; unset: the local simulator (`cqs start`). */
  readonly postalUrl: string | undefined;
  readonly postalSecret: string | undefined;
}

export class ConfigError extends Error {}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function envName(raw: string | undefined): Config['env'] {
  if (raw === 'production' || raw === 'test') return raw;
  return 'development';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const mode = envName(env.NODE_ENV);
  const secret = env.CQS_SESSION_SECRET;
  for (const name of ['CQS_PUBLIC_URL', 'CQS_SMS_URL', 'CQS_PAYMENT_URL', 'CQS_POSTAL_URL'] as const) {
    const raw = env[name];
    if (raw && !/^https?:$/.test(URL.parse(raw)?.protocol ?? '')) throw new ConfigError(`${name} must be an http:// or https:// URL, got "${raw}"`);
  }
  if (env.CQS_SMS_URL && !env.CQS_SMS_SECRET) throw new ConfigError('CQS_SMS_SECRET must be set with CQS_SMS_URL');
  if (env.CQS_PAYMENT_URL && !env.CQS_PAYMENT_SECRET) throw new ConfigError('CQS_PAYMENT_SECRET must be set with CQS_PAYMENT_URL');
  if (env.CQS_POSTAL_URL && !env.CQS_POSTAL_SECRET) throw new ConfigError('CQS_POSTAL_SECRET must be set with CQS_POSTAL_URL');
  if (mode === 'production' && (secret === undefined || secret.length < 32)) {
    throw new ConfigError('CQS_SESSION_SECRET must be set to at least 32 characters in production');
  }
  const port = intFrom(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST ?? '127.0.0.1';
  const databaseUrl = env.DATABASE_URL === '' ? undefined : env.DATABASE_URL;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  return {
    env: mode,
    host,
    port,
    dataDir: path.resolve(env.CQS_DATA_DIR ?? 'var'),
    databaseUrl,
    // A development secret is random per process: sessions do not survive a restart, which is acceptable locally.
    sessionSecret: secret ?? randomBytes(32).toString('hex'),
    sessionTtlHours: intFrom(env, 'CQS_SESSION_TTL_HOURS', 8, 1, 24 * 30),
    loginMaxFailures: intFrom(env, 'CQS_LOGIN_MAX_FAILURES', 5, 1, 100),
    loginLockMinutes: intFrom(env, 'CQS_LOGIN_LOCK_MINUTES', 15, 1, 24 * 60),
    loginRatePerMinute: intFrom(env, 'CQS_LOGIN_RATE_PER_MINUTE', 10, 1, 100_000),
    uploadsPerMinute: intFrom(env, 'CQS_UPLOADS_PER_MINUTE', 120, 1, 100_000),
    lookupsPerMinute: intFrom(env, 'CQS_LOOKUPS_PER_MINUTE', 30, 1, 100_000),
    loadDemoData: env.CQS_DEMO !== '0',
    logLevel: env.LOG_LEVEL ?? (mode === 'test' ? 'silent' : 'info'),
    publicUrl: env.CQS_PUBLIC_URL ?? `http://${host}:${port}`,
    secureCookies: env.CQS_SECURE_COOKIES === '1' || mode === 'production',
    smtpUrl: env.CQS_SMTP_URL || undefined,
    mailFrom: env.CQS_MAIL_FROM ?? 'CQS <no-reply@cqs.invalid>',
    smsUrl: env.CQS_SMS_URL || undefined,
    smsSecret: env.CQS_SMS_SECRET || undefined,
    outboxTimeoutMs: intFrom(env, 'CQS_OUTBOX_TIMEOUT_SECONDS', 15, 1, 600) * 1000,
    paymentUrl: env.CQS_PAYMENT_URL || undefined,
    paymentSecret: env.CQS_PAYMENT_SECRET || undefined,
    postalUrl: env.CQS_POSTAL_URL || undefined,
    postalSecret: env.CQS_POSTAL_SECRET || undefined,
  };
}
