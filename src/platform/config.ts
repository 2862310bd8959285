import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
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
  /** HMAC key of the audit checkpoints (CQS_AUDIT_KEY; outside production the session secret stands in). */
  readonly auditKey: string;
  /** True when that key is random per process: checkpoints of earlier processes cannot be checked. */
  readonly auditKeyEphemeral: boolean;
  readonly sessionTtlHours: number;
  /** Failed sign-ins on one account (from devices it has not signed in on) before each attempt has to wait. */
  readonly loginMaxFailures: number;
  /** The longest wait between attempts once the back-off has started (it doubles from one minute up to this). */
  readonly loginBackoffMaxMinutes: number;
  /** Sign-in attempts allowed per client address and minute, the page and the API together. */
  readonly loginRatePerMinute: number;
  /** Citizen registrations allowed per client address and hour, the page and the API together. */
  readonly registrationsPerHour: number;
  /** Proxies (addresses, CIDRs or proxy-addr names such as `loopback`) whose X-Forwarded-For is believed; empty: none. */
  readonly trustProxy: readonly string[];
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
  /**
   * The VNeID-style OpenID Connect provider citizens sign in with (CQS_VNEID_ISSUER, _CLIENT_ID, _CLIENT_SECRET);
   * unset: no VNeID sign-in (`cqs start` then runs the local simulator).
   */
  readonly vneid?: { readonly issuer: string; readonly clientId: string; readonly clientSecret: string } | undefined;
  /** Sign-in attempts allowed per client address and minute, whatever the account (password spraying). */
  readonly loginAddressRatePerMinute: number;
  /** Bearer token a Prometheus scraper presents for `/metrics`; unset: only `metricsAllow` addresses may read it. */
  readonly metricsToken: string | undefined;
  /** Client addresses that may read `/metrics` without the token (default: loopback only). */
  readonly metricsAllow: readonly string[];
  /** Bytes of files one account may keep (its attached and unattached uploads together). */
  readonly storageQuotaBytes: number;
  /** PEM files of the certificates PDF signatures must chain to (CQS_TRUSTED_CA, comma-separated paths). */
  readonly trustedCaFiles: readonly string[];
  /** Largest multipart request body, all its files and fields together. */
  readonly multipartLimitBytes: number;
  /**
   * An S3-compatible bucket for file content, shared by every app process (CQS_S3_ENDPOINT, _BUCKET, _REGION,
   * _ACCESS_KEY_ID, _SECRET_ACCESS_KEY); unset: files under `dataDir/files`.
   */
  readonly s3?: { readonly endpoint: string; readonly bucket: string; readonly region: string; readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
  /** Tests only (CQS_TEST_DEMO_EXIT_AFTER): the demo-load step after whose data `cqs start` dies, as if killed. */
  readonly testDemoExitAfterStep?: string | undefined;
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

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** CQS_TRUST_PROXY: comma-separated addresses or CIDRs; a typo must stop the start, not silently trust nobody. */
function trustedProxies(raw: string | undefined): string[] {
  const entries = (raw ?? '').split(',').map((e) => e.trim()).filter((e) => e !== '');
  for (const entry of entries) {
    const [address = '', prefix, ...rest] = entry.split('/');
    const version = isIP(address);
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 6 ? 128 : 32));
    if (!PROXY_NAMES.has(entry) && (version === 0 || !prefixOk || rest.length > 0)) {
      throw new ConfigError(`CQS_TRUST_PROXY must list proxy addresses or CIDRs separated by commas, got "${entry}"`);
    }
  }
  return entries;
}

function envName(raw: string | undefined): Config['env'] {
  if (raw === 'production' || raw === 'test') return raw;
  return 'development';
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Whether a URL is on this machine (the local simulators): only there may an identity provider speak plain HTTP. */
export const isLoopbackUrl = (url: string) => LOOPBACK_HOSTS.has(URL.parse(url)?.hostname ?? '');

function s3From(env: NodeJS.ProcessEnv): Config['s3'] {
  const names = ['CQS_S3_ENDPOINT', 'CQS_S3_BUCKET', 'CQS_S3_ACCESS_KEY_ID', 'CQS_S3_SECRET_ACCESS_KEY'] as const;
  const [endpoint, bucket, accessKeyId, secretAccessKey] = names.map((n) => env[n] || undefined);
  if (!endpoint && !bucket && !accessKeyId && !secretAccessKey) return undefined;
  if (!endpoint || !bucket || !accessKeyId || !secretAccessKey) throw new ConfigError(`${names.join(', ')} must be set together`);
  const protocol = URL.parse(endpoint)?.protocol;
  if (protocol !== 'https:' && !(protocol === 'http:' && isLoopbackUrl(endpoint))) throw new ConfigError(`CQS_S3_ENDPOINT must be an https:// URL (http:// only on loopback), got "${endpoint}"`);
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new ConfigError(`CQS_S3_BUCKET must be a bucket name (3–63 lower-case letters, digits, dots and hyphens), got "${bucket}"`);
  return { endpoint, bucket, region: env.CQS_S3_REGION || 'us-east-1', accessKeyId, secretAccessKey };
}

function vneidFrom(env: NodeJS.ProcessEnv): Config['vneid'] {
  const [issuer, clientId, clientSecret] = [env.CQS_VNEID_ISSUER, env.CQS_VNEID_CLIENT_ID, env.CQS_VNEID_CLIENT_SECRET].map((v) => v || undefined);
  if (!issuer && !clientId && !clientSecret) return undefined;
  if (!issuer || !clientId || !clientSecret) throw new ConfigError('CQS_VNEID_ISSUER, CQS_VNEID_CLIENT_ID and CQS_VNEID_CLIENT_SECRET must be set together');
  const protocol = URL.parse(issuer)?.protocol;
  if (protocol !== 'https:' && !(protocol === 'http:' && isLoopbackUrl(issuer))) throw new ConfigError(`CQS_VNEID_ISSUER must be an https:// URL (http:// only on loopback), got "${issuer}"`);
  return { issuer, clientId, clientSecret };
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
  const vneid = vneidFrom(env);
  const metricsToken = env.CQS_METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && metricsToken.length < 16) throw new ConfigError('CQS_METRICS_TOKEN must have at least 16 characters');
  const metricsAllow = (env.CQS_METRICS_ALLOW ?? '127.0.0.1,::1')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  for (const address of metricsAllow) {
    if (isIP(address) === 0) throw new ConfigError(`CQS_METRICS_ALLOW must list IP addresses separated by commas, got "${address}"`);
  }
  if (mode === 'production' && (secret === undefined || secret.length < 32)) {
    throw new ConfigError('CQS_SESSION_SECRET must be set to at least 32 characters in production');
  }
  const auditKey = env.CQS_AUDIT_KEY || undefined;
  if (mode === 'production' && (auditKey === undefined || auditKey.length < 32)) {
    throw new ConfigError('CQS_AUDIT_KEY must be set to at least 32 characters in production');
  }
  const port = intFrom(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST ?? '127.0.0.1';
  const databaseUrl = env.DATABASE_URL === '' ? undefined : env.DATABASE_URL;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  // A development secret is random per process: sessions do not survive a restart, which is acceptable locally.
  const sessionSecret = secret ?? randomBytes(32).toString('hex');
  return {
    env: mode,
    host,
    port,
    dataDir: path.resolve(env.CQS_DATA_DIR ?? 'var'),
    databaseUrl,
    sessionSecret,
    auditKey: auditKey ?? sessionSecret,
    auditKeyEphemeral: auditKey === undefined && secret === undefined,
    sessionTtlHours: intFrom(env, 'CQS_SESSION_TTL_HOURS', 8, 1, 24 * 30),
    loginMaxFailures: intFrom(env, 'CQS_LOGIN_MAX_FAILURES', 5, 1, 100),
    loginBackoffMaxMinutes: intFrom(env, 'CQS_LOGIN_BACKOFF_MAX_MINUTES', 30, 1, 24 * 60),
    loginRatePerMinute: intFrom(env, 'CQS_LOGIN_RATE_PER_MINUTE', 10, 1, 100_000),
    loginAddressRatePerMinute: intFrom(env, 'CQS_LOGIN_ADDRESS_RATE_PER_MINUTE', 300, 1, 1_000_000),
    vneid,
    registrationsPerHour: intFrom(env, 'CQS_REGISTRATIONS_PER_HOUR', 10, 1, 100_000),
    trustProxy: trustedProxies(env.CQS_TRUST_PROXY),
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
    metricsToken,
    metricsAllow,
    storageQuotaBytes: intFrom(env, 'CQS_STORAGE_QUOTA_MB', 200, 1, 10_000_000) * 1024 * 1024,
    trustedCaFiles: (env.CQS_TRUSTED_CA ?? '').split(',').map((f) => f.trim()).filter((f) => f !== '').map((f) => path.resolve(f)),
    multipartLimitBytes: intFrom(env, 'CQS_UPLOAD_REQUEST_MB', 50, 1, 1024) * 1024 * 1024,
    s3: s3From(env),
    testDemoExitAfterStep: env.CQS_TEST_DEMO_EXIT_AFTER || undefined,
  };
}
