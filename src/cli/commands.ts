import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { PeriodicJob } from '../platform/jobs/periodic-job.ts';
import { housekeeping } from '../platform/housekeeping.ts';
import { DiskFileStore } from '../platform/files/file-store.ts';
import { sendDueAlerts } from '../modules/dossiers/due-alerts.ts';
import { smsHandler } from '../platform/outbox/sms-gateway.ts';
import { emailHandler } from '../platform/outbox/smtp-transport.ts';
import { OutboxWorker } from '../platform/outbox/worker.ts';
import { startPaymentGatewaySimulator } from '../simulators/payment-gateway-simulator.ts';
import { startSmsGatewaySimulator } from '../simulators/sms-gateway-simulator.ts';
import { startSmtpSink } from '../simulators/smtp-sink.ts';
import { startPostalSimulator } from '../simulators/postal-simulator.ts';
import { buildApp } from '../app.ts';
import { verifyAuditLog } from '../platform/audit/verify-audit-log.ts';
import type { Config } from '../platform/config.ts';
import { type DatabaseHandle, openDatabase } from '../platform/db/database.ts';
import { migrate } from '../platform/db/migrate.ts';
import { seedDemo } from '../demo/seed-demo.ts';
import { demoPeriodEnding, generateDemoDossiers } from '../modules/dossiers/demo-dossiers.ts';
import { seedDemoCitizenDossiers } from '../modules/dossiers/demo-citizen-dossiers.ts';
import { systemActor } from '../platform/audit/audit-log.ts';
import { CalendarStore } from '../platform/calendar/calendar-store.ts';
import type { WorkingCalendar } from '../platform/calendar/working-calendar.ts';
import { runImportCommand } from '../modules/procedures/import-command.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../modules/directory/demo-accounts.ts';
import type { Db } from '../platform/db/database.ts';

export async function connect(config: Config): Promise<DatabaseHandle> {
  return config.databaseUrl
    ? openDatabase({ kind: 'postgres', url: config.databaseUrl })
    : openDatabase({ kind: 'pglite', dataDir: path.join(config.dataDir, 'pgdata') });
}

// About 20,000 dossiers a year: a mid-sized province's one-stop volume, enough for the dashboards to show real trends.
const DEMO_DOSSIERS_PER_DAY = 80;

async function seedDossiers(db: Db, calendar: WorkingCalendar, years: number, perDay: number): Promise<number> {
  return generateDemoDossiers(db, calendar, systemActor('demo-seed'), { ...demoPeriodEnding(new Date(), years), perDay, seed: 56 + years });
}

/** The demo year, and the demo citizen's own dossiers at each stage of the journey. */
async function seedDemoDossiers(db: Db): Promise<number> {
  const calendar = await new CalendarStore(db).get();
  return (await seedDossiers(db, calendar, 1, DEMO_DOSSIERS_PER_DAY)) + (await seedDemoCitizenDossiers(db, calendar));
}

const usage = `Cách dùng / usage: cqs <command>
  start                    migrate, load the demo province on first run, serve HTTP
  migrate                  apply pending SQL migrations
  seed --years N [--per-day M]   add N years of generated dossiers (benchmarks, demos)
  import procedures FILE   import a procedure catalogue (.csv national list or .json detailed list)
  audit verify [--head SEQ:HASH]   check the audit hash chain
  alerts                   warn officers of dossiers due within two working days (also runs inside start)
`;

async function withDb<T>(config: Config, fn: (h: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = await connect(config);
  try {
    return await fn(handle);
  } finally {
    await handle.close();
  }
}

async function isEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom('org_units').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

async function start(config: Config): Promise<number> {
  const started = Date.now();
  const handle = await connect(config);
  const result = await migrate(handle.db);
  const firstRun = config.loadDemoData && (await isEmpty(handle.db));
  if (firstRun) {
    console.log('First start: loading the demo province (Khánh Hòa) and a year of dossiers…');
    await seedDemo(handle.db);
    const count = await seedDemoDossiers(handle.db);
    console.log(`  ${count.toLocaleString('vi-VN')} demo dossiers generated.`);
  }
  const payment = await paymentGatewayFor(config);
  const postal = await postalServiceFor(config);
  const effective = { ...config, paymentUrl: payment.url, paymentSecret: payment.secret, postalUrl: postal.url, postalSecret: postal.secret };
  const app = await buildApp(effective, handle.db);
  const delivery = await startDelivery(config, handle.db);
  const calendars = new CalendarStore(handle.db);
  // Deadline warnings: every 10 minutes is far inside the one working day of notice they must give.
  const alerts = new PeriodicJob('due alerts', async () => sendDueAlerts(handle.db, await calendars.get()), 10 * 60_000);
  alerts.start();
  void alerts.tick();
  const files = new DiskFileStore(path.join(config.dataDir, 'files'));
  const chores = new PeriodicJob('housekeeping', () => housekeeping(handle.db, files), 60 * 60_000);
  chores.start();
  const stop = async () => {
    alerts.stop();
    chores.stop();
    delivery.stop();
    await payment.close();
    await postal.close();
    await app.close();
    // PGlite must be closed cleanly: a kill mid-write can corrupt its folder.
    await handle.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await app.listen({ host: config.host, port: config.port });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`CQS is running at ${config.publicUrl} (${handle.kind}; ${result.applied.length} migrations applied; ready in ${seconds} s)`);
  for (const line of [...delivery.description, payment.description, postal.description]) console.log(line);
  if (config.loadDemoData) printDemoAccounts();
  return 0;
}

export async function runCli(args: readonly string[], config: Config): Promise<number> {
  const [command, sub, ...rest] = args;
  switch (command) {
    case 'start':
      return start(config);
    case 'migrate':
      return withDb(config, async (h) => {
        const r = await migrate(h.db);
        console.log(`Applied ${r.applied.length} migration(s): ${r.applied.join(', ') || '—'}; ${r.alreadyApplied} already applied.`);
        return 0;
      });
    case 'seed': {
      const years = Number(args[args.indexOf('--years') + 1] ?? 1);
      const perDay = args.includes('--per-day') ? Number(args[args.indexOf('--per-day') + 1]) : DEMO_DOSSIERS_PER_DAY;
      if (!args.includes('--years') || !Number.isInteger(years) || years < 1 || years > 30 || !Number.isInteger(perDay) || perDay < 1 || perDay > 100_000) break;
      return withDb(config, async (h) => {
        await migrate(h.db);
        await seedDemo(h.db);
        console.log(`${(await seedDossiers(h.db, await new CalendarStore(h.db).get(), years, perDay)).toLocaleString('vi-VN')} dossiers generated.`);
        return 0;
      });
    }
    case 'import':
      if (sub !== 'procedures' || !rest[0]) break;
      return withDb(config, async (h) => {
        await migrate(h.db);
        return runImportCommand(h.db, rest[0] ?? '', { write: (line) => console.log(line) });
      });
    case 'audit':
      if (sub !== 'verify') break;
      return withDb(config, async (h) => {
        await migrate(h.db);
        const headArg = rest[0] === '--head' ? rest[1] : undefined;
        const [seq, hash] = headArg?.split(':') ?? [];
        const expected = seq && hash ? { seq: Number(seq), hash } : undefined;
        const v = await verifyAuditLog(h.db, expected);
        for (const p of v.problems) console.log(`PROBLEM seq ${p.seq}: ${p.kind} — ${p.detail}`);
        console.log(`Checked ${v.checked} events; head ${v.headSeq}:${v.headHash}`);
        console.log(v.problems.length === 0 ? 'Audit log intact.' : `Audit log TAMPERED: ${v.problems.length} problem(s).`);
        return v.problems.length === 0 ? 0 : 2;
      });
    case 'alerts':
      return withDb(config, async (h) => {
        await migrate(h.db);
        const { alerted } = await sendDueAlerts(h.db, await new CalendarStore(h.db).get());
        console.log(`${alerted} dossier(s) due soon: officers warned.`);
        return 0;
      });
    default:
      break;
  }
  console.error(usage);
  return 64;
}

/** A configured external service, or the local simulator speaking its protocol with a fresh secret. */
async function serviceOrSimulator(
  configured: { url: string | undefined; secret: string | undefined },
  startSimulator: (secret: string) => Promise<{ url: string; close(): Promise<void> }>,
  names: { what: string; env: string },
): Promise<{ url: string; secret: string; description: string; close(): Promise<void> }> {
  if (configured.url && configured.secret) return { url: configured.url, secret: configured.secret, description: `${names.what}: ${names.env}_URL`, close: async () => {} };
  const secret = randomBytes(16).toString('hex');
  const simulator = await startSimulator(secret);
  return { url: simulator.url, secret, description: `${names.what}: local simulator at ${simulator.url} (set ${names.env}_URL and ${names.env}_SECRET for the real one)`, close: simulator.close };
}

const paymentGatewayFor = (config: Config) => serviceOrSimulator({ url: config.paymentUrl, secret: config.paymentSecret }, startPaymentGatewaySimulator, { what: 'Payments', env: 'CQS_PAYMENT' });
const postalServiceFor = (config: Config) => serviceOrSimulator({ url: config.postalUrl, secret: config.postalSecret }, startPostalSimulator, { what: 'Post', env: 'CQS_POSTAL' });

/** Real transports when configured; otherwise the local simulators, so the demo delivers for real on loopback. */
async function startDelivery(config: Config, db: Db): Promise<{ stop(): void; description: string[] }> {
  const description: string[] = [];
  let smtpUrl = config.smtpUrl;
  const closers: (() => Promise<void>)[] = [];
  if (!smtpUrl) {
    const sink = await startSmtpSink();
    smtpUrl = sink.url;
    closers.push(sink.close);
    description.push(`E-mail: local SMTP sink at ${sink.url} (simulator; set CQS_SMTP_URL for a real relay)`);
  } else description.push('E-mail: SMTP relay from CQS_SMTP_URL');
  let sms = config.smsUrl && config.smsSecret ? { url: config.smsUrl, secret: config.smsSecret } : undefined;
  if (!sms) {
    const secret = randomBytes(16).toString('hex');
    const simulator = await startSmsGatewaySimulator(secret);
    sms = { url: simulator.url, secret };
    closers.push(simulator.close);
    description.push(`SMS: local gateway simulator at ${simulator.url} (set CQS_SMS_URL and CQS_SMS_SECRET for a real gateway)`);
  } else description.push('SMS: gateway from CQS_SMS_URL');
  // Each topic's handler; a module that adds a topic (webhooks, document packages) registers its handler here.
  const handlers = { email: emailHandler(smtpUrl, config.mailFrom, config.outboxTimeoutMs), sms: smsHandler(sms.url, sms.secret) };
  const worker = new OutboxWorker(db, handlers, { timeoutMs: config.outboxTimeoutMs });
  worker.start();
  return {
    description,
    stop: () => {
      worker.stop();
      for (const close of closers) void close();
    },
  };
}

function printDemoAccounts(): void {
  console.log(`Tài khoản dùng thử / demo accounts (mật khẩu / password: ${DEMO_PASSWORD}):`);
  for (const a of DEMO_ACCOUNTS) console.log(`  ${a.username.padEnd(16)} ${a.fullName} — ${a.roleLabelVi}`);
}
