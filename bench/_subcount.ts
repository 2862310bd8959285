import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { KyselyPlugin } from 'kysely';
import { openDatabase, openPglite } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { seedDemo } from '../src/demo/seed-demo.ts';
import { CalendarStore } from '../src/platform/calendar/calendar-store.ts';
import { submissionThroughput } from './dossiers.ts';

const dir = await mkdtemp(path.join(os.tmpdir(), 'subprof-'));
const handle = await openDatabase({ kind: 'pglite-instance', pglite: await openPglite(path.join(dir, 'pgdata')) });
await migrate(handle.db);
await seedDemo(handle.db);
const calendar = await new CalendarStore(handle.db).get();
const seen: string[] = [];
let on = false;
const plugin: KyselyPlugin = {
  transformQuery(args) { if (on) { const j = JSON.stringify(args.node); const names = [...j.matchAll(/"identifier":\{"kind":"IdentifierNode","name":"([a-z_]+)"/g)].map((m) => m[1]); const raw = /sqlFragments":\["([^"]{0,60})/.exec(j)?.[1]; seen.push(`${args.node.kind.replace('QueryNode', '')} ${raw ?? [...new Set(names)].slice(0, 4).join(',')}`); } return args.node; },
  async transformResult(args) { return args.result; },
};
await submissionThroughput(handle.db, calendar, 3);
on = true;
await submissionThroughput(handle.db.withPlugin(plugin), calendar, 1);
console.log(seen.length);
for (const s of seen) console.log(s);
await handle.close();
