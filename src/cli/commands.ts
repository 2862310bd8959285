import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { PeriodicJob } from '../platform/jobs/periodic-job.ts';
import { housekeeping } from '../platform/housekeeping.ts';
import { sendDueAlerts } from '../modules/dossiers/due-alerts.ts';
import { rebuildDossierCounts } from '../modules/dossiers/dossier-counts.ts';
import { smsHandler } from '../platform/outbox/sms-gateway.ts';
import { emailHandler } from '../platform/outbox/smtp-transport.ts';
import { OutboxWorker } from '../platform/outbox/worker.ts';
import { startPaymentGatewaySimulator } from '../simulators/payment-gateway-simulator.ts';
import { startSmsGatewaySimulator } from '../simulators/sms-gateway-simulator.ts';
import { startSmtpSink } from '../simulators/smtp-sink.ts';
import { startPostalSimulator } from '../simulators/postal-simulator.ts';
import { type SimulatedIdentity, startVneidSimulator } from '../simulators/vneid-simulator.ts';
import { buildApp, kernelServices } from '../app.ts';
import { demoSigningAt } from '../demo/demo-ca.ts';
import type { ResultSigning } from '../modules/dossiers/demo-citizen-dossiers.ts';
import { auditKeyOf, runAuditCommand } from '../platform/audit/audit-command.ts';
import { checkpointDir, writeCheckpoint } from '../platform/audit/checkpoints.ts';
import { sealAll } from '../platform/audit/seal-audit-log.ts';
import type { Config } from '../platform/config.ts';
import { type DatabaseHandle, openDatabase } from '../platform/db/database.ts';
import { migrate } from '../platform/db/migrate.ts';
import { loadDemoProvince, PROVINCE_DOSSIERS_PER_DAY, seedDemo, seedDossiers } from '../demo/seed-demo.ts';
import { CalendarStore } from '../platform/calendar/calendar-store.ts';
import { runImportCommand } from '../modules/procedures/import-command.ts';
import { DEMO_ACCOUNTS, DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../modules/directory/demo-accounts.ts';
import type { Db } from '../platform/db/database.ts';
import { runTenantsCommand } from '../platform/tenancy/tenants-command.ts';
import { asTenant } from '../platform/db/tenant-scope.ts';
import { TenantDirectory } from '../platform/tenancy/tenants.ts';

/** Opens the configured database; the embedded one only while this process holds its data folder's lock. */
export async function connect(config: Config, command: string): Promise<DatabaseHandle> {
  return config.databaseUrl
    ? openDatabase({ kind: 'postgres', url: config.databaseUrl })
    : openDatabase({ kind: 'pglite', dataDir: path.join(config.dataDir, 'pgdata'), lock: { folder: config.dataDir, command: `cqs ${command}` } });
}

const usage = `Cách dùng / usage: cqs <command>
  start                    migrate, load the demo province on first run, serve HTTP
  migrate                  apply pending SQL migrations
  seed --years N [--per-day M]   add N years of generated dossiers (benchmarks, demos), M per working day
                           (default 1000, a large province: 250,000 a year), a month per transaction;
                           stacks on what is there (codes continue each agency's series)
  import procedures FILE   import a procedure catalogue (.csv national list or .json detailed list)
  audit verify [--head STREAM:SEQ:HASH]…   check the audit hash chains and checkpoints; exit 2 when tampered
  audit checkpoint         write a signed checkpoint of every audit stream's head (also runs inside start)
  alerts                   warn officers of dossiers due within two working days (also runs inside start)
  counts rebuild           recompute the per-unit daily counts the statistics read from the dossiers themselves
  tenants list             the provinces this installation serves, with the host names each answers on
  tenants add --id N --province CC --name NAME [--host HOST]…   serve one more province (restart to take effect)
`;

/**
 * A signal ends the process as it always did, but through process.exit so that the 'exit' hook releases the data
 * folder's lock (a default signal death skips it). Returns the function that removes these handlers.
 */
function exitOnSignals(): () => void {
  const onInt = () => process.exit(130);
  const onTerm = () => process.exit(143);
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
}

async function withDb<T>(config: Config, command: string, fn: (h: DatabaseHandle) => Promise<T>): Promise<T> {
  const restoreSignals = exitOnSignals();
  try {
    const handle = await connect(config, command);
    try {
      return await fn(handle);
    } finally {
      await handle.close();
    }
  } finally {
    restoreSignals();
  }
}

/** On an empty database, the demo province; a load cut short by a kill or crash is finished on the next start. */
async function loadDemo(config: Config, handle: DatabaseHandle, resultSigning: ResultSigning): Promise<void> {
  let announced = false;
  const state = await loadDemoProvince(handle, {
    resultSigning,
    onStep: (name, index, total, state) => {
      if (!announced) console.log(state === 'fresh' ? 'First start: loading the demo province (Khánh Hòa) and a year of dossiers…' : 'Finishing the demo load an earlier start left unfinished…');
      announced = true;
      console.log(`  demo load ${index + 1}/${total}: ${name}`);
    },
    afterStepWritten: (name) => {
      // Test hook: dies like a killed process at the worst moment, the step's data in but not yet recorded.
      if (name === config.testDemoExitAfterStep) process.exit(137);
    },
  });
  if (state === 'fresh' || state === 'resume') {
    const { n } = await handle.db.selectFrom('dossiers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    console.log(`  ${n.toLocaleString('vi-VN')} demo dossiers generated.`);
  }
}

async function start(config: Config): Promise<number> {
  const started = Date.now();
  // Until the server is up (the demo load can take a while), a signal just ends the process.
  const restoreSignals = exitOnSignals();
  const handle = await connect(config, 'start');
  const result = await migrate(handle.db);
  // The demo province has a local CA of its own, on the trust list of the demo server (never in production data).
  const demoCa = config.loadDemoData ? await demoSigningAt(config.dataDir) : null;
  const trusted = demoCa ? { ...config, trustedCaFiles: [...config.trustedCaFiles, demoCa.caFile] } : config;
  if (demoCa) await loadDemo(config, handle, { files: kernelServices(trusted, handle.db).files, signer: demoCa.signer, chain: demoCa.chain });
  const payment = await paymentGatewayFor(config);
  const postal = await postalServiceFor(config);
  const vneid = await vneidFor(config);
  const effective = { ...trusted, paymentUrl: payment.url, paymentSecret: payment.secret, postalUrl: postal.url, postalSecret: postal.secret, vneid: vneid.settings };
  const app = await buildApp(effective, handle.db);
  const delivery = await startDelivery(config, handle.db, app.tenants.ids);
  // The modules' jobs (deadline warnings …), as their manifests declare them.
  // Every job runs once per province served.
  const tenants = app.tenants.ids;
  const jobs = app.jobs.map((spec) => new PeriodicJob(spec.name, spec.run, spec.everyMs, tenants));
  for (const [i, job] of jobs.entries()) {
    job.start();
    if (app.jobs[i]?.runAtStart) void job.tick();
  }
  app.exports.start();
  const chores = new PeriodicJob('housekeeping', () => housekeeping(handle.db, app.files), 60 * 60_000, tenants);
  chores.start();
  // Chains committed audit events every second (mutations only insert theirs), and anchors the streams outside the
  // database every 5 minutes (nothing is written while they stand still).
  const sealer = new PeriodicJob('audit sealer', () => sealAll(handle.db), 1000, tenants);
  sealer.start();
  const anchors = { key: auditKeyOf(config), dir: checkpointDir(config.dataDir), log: (line: string) => console.log(line) };
  const checkpoints = new PeriodicJob(
    'audit checkpoint',
    async () => {
      await sealAll(handle.db);
      return writeCheckpoint(handle.db, anchors);
    },
    5 * 60_000,
    tenants,
  );
  checkpoints.start();
  void checkpoints.tick();
  const stop = async () => {
    for (const job of jobs) job.stop();
    chores.stop();
    sealer.stop();
    checkpoints.stop();
    delivery.stop();
    await payment.close();
    await postal.close();
    await vneid.close();
    await app.close();
    // Nothing writes any more: what is still waiting is chained now rather than at the next start.
    await sealAll(handle.db).catch((error: Error) => console.warn(`audit sealer failed: ${error.message}`));
    // PGlite must be closed cleanly: a kill mid-write can corrupt its folder.
    await handle.close();
    process.exit(0);
  };
  restoreSignals();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await app.listen({ host: config.host, port: config.port });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`CQS is running at ${config.publicUrl} (${handle.kind}; ${result.applied.length} migrations applied; ready in ${seconds} s)`);
  for (const line of [...delivery.description, payment.description, postal.description, vneid.description]) console.log(line);
  if (config.loadDemoData) printDemoAccounts();
  return 0;
}

/** Runs `work` once for each province served, as that province; answers the sum of what each run counted. */
async function forEachTenant(db: Db, work: () => Promise<number>): Promise<number> {
  let total = 0;
  for (const tenant of (await TenantDirectory.load(db)).ids) total += await asTenant(tenant, work);
  return total;
}

export async function runCli(args: readonly string[], config: Config): Promise<number> {
  const [command, sub, ...rest] = args;
  switch (command) {
    case 'start':
      return start(config);
    case 'migrate':
      return withDb(config, 'migrate', async (h) => {
        const r = await migrate(h.db);
        console.log(`Applied ${r.applied.length} migration(s): ${r.applied.join(', ') || '—'}; ${r.alreadyApplied} already applied.`);
        return 0;
      });
    case 'seed': {
      const years = Number(args[args.indexOf('--years') + 1] ?? 1);
      const perDay = args.includes('--per-day') ? Number(args[args.indexOf('--per-day') + 1]) : PROVINCE_DOSSIERS_PER_DAY;
      if (!args.includes('--years') || !Number.isInteger(years) || years < 1 || years > 30 || !Number.isInteger(perDay) || perDay < 1 || perDay > 100_000) break;
      return withDb(config, 'seed', async (h) => {
        await migrate(h.db);
        await seedDemo(h.db);
        console.log(`${(await seedDossiers(h.db, await new CalendarStore(h.db).get(), years, perDay, { monthly: true })).toLocaleString('vi-VN')} dossiers generated.`);
        console.log(`${(await sealAll(h.db)).toLocaleString('vi-VN')} audit events chained.`);
        return 0;
      });
    }
    case 'import':
      if (sub !== 'procedures' || !rest[0]) break;
      return withDb(config, 'import procedures', async (h) => {
        await migrate(h.db);
        return runImportCommand(h.db, rest[0] ?? '', { write: (line) => console.log(line) });
      });
    case 'audit':
      return withDb(config, `audit ${sub ?? ''}`.trim(), async (h) => {
        await migrate(h.db);
        const status = await runAuditCommand(h.db, config, args.slice(1), { write: (line) => console.log(line) });
        if (status === 64) console.error(usage);
        return status;
      });
    case 'alerts':
      return withDb(config, 'alerts', async (h) => {
        await migrate(h.db);
        const calendar = await new CalendarStore(h.db).get();
        const alerted = await forEachTenant(h.db, async () => (await sendDueAlerts(h.db, calendar)).alerted);
        console.log(`${alerted} dossier(s) due soon: officers warned.`);
        return 0;
      });
    case 'tenants':
      return withDb(config, `tenants ${sub ?? ''}`.trim(), async (h) => {
        await migrate(h.db);
        const status = await runTenantsCommand(h.db, args.slice(1), { write: (line) => console.log(line) });
        if (status === 64) console.error(usage);
        return status;
      });
    case 'counts':
      if (sub !== 'rebuild') break;
      return withDb(config, 'counts rebuild', async (h) => {
        await migrate(h.db);
        const records = await forEachTenant(h.db, async () => (await rebuildDossierCounts(h.db, new Date())).records);
        console.log(`Counts rebuilt from ${records.toLocaleString('vi-VN')} dossier(s).`);
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

/** People the demo's VNeID simulator offers: the demo citizen (level 2), a newcomer at level 2 and one at level 1. */
const DEMO_VNEID_IDENTITIES: readonly SimulatedIdentity[] = [
  { personalId: DEMO_CITIZEN_ID, fullName: 'Nguyễn Thị Mai', level: 2 },
  { personalId: '056088004321', fullName: 'Trần Văn Bình', level: 2 },
  { personalId: '056195006789', fullName: 'Lê Thị Cúc', level: 1 },
];

/** The configured VNeID provider, or the local simulator with this server registered as its client. */
async function vneidFor(config: Config): Promise<{ settings: NonNullable<Config['vneid']>; description: string; close(): Promise<void> }> {
  if (config.vneid) return { settings: config.vneid, description: `VNeID: ${config.vneid.issuer} (CQS_VNEID_ISSUER)`, close: async () => {} };
  const client = { clientId: 'cqs', clientSecret: randomBytes(24).toString('hex') };
  const simulator = await startVneidSimulator({ clients: [{ ...client, redirectUris: [`${config.publicUrl}/dang-nhap/vneid/callback`] }], identities: DEMO_VNEID_IDENTITIES });
  return {
    settings: { issuer: simulator.issuer, ...client },
    description: `VNeID: local OpenID Connect simulator at ${simulator.issuer} (set CQS_VNEID_ISSUER, CQS_VNEID_CLIENT_ID and CQS_VNEID_CLIENT_SECRET for the real one)`,
    close: simulator.close,
  };
}

/** Real transports when configured; otherwise the local simulators, so the demo delivers for real on loopback. */
async function startDelivery(config: Config, db: Db, tenants: readonly number[]): Promise<{ stop(): void; description: string[] }> {
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
  const worker = new OutboxWorker(db, handlers, { timeoutMs: config.outboxTimeoutMs }, undefined, tenants);
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
