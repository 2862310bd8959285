import type { Db } from '../../src/platform/db/database.ts';
import type { App } from '../../src/platform/http/server.ts';
import { authHeaders, type Session } from './test-app.ts';

/**
 * The demo's Sở Tư pháp and one procedure assigned to it, the usual subject of dossier tests: the first by national
 * code (or the last), narrowed to procedures offered online or timed in working days when asked.
 */
export async function justiceProcedure(db: Db, options: { online?: boolean; workingDays?: boolean; last?: boolean } = {}) {
  const justiceId = (await db.selectFrom('org_units').select('id').where('name', '=', 'Sở Tư pháp').executeTakeFirstOrThrow()).id;
  let query = db
    .selectFrom('procedure_assignments as a')
    .innerJoin('procedures as p', 'p.id', 'a.procedure_id')
    .innerJoin('procedure_versions as v', (j) => j.onRef('v.procedure_id', '=', 'p.id').on('v.valid_to', 'is', null))
    .select(['p.national_code', 'v.id as version_id'])
    .where('a.org_unit_id', '=', justiceId);
  if (options.online) query = query.where((eb) => eb(eb.val('online'), '=', eb.fn.any('v.channels')));
  if (options.workingDays) query = query.where('v.processing_unit', '=', 'working_day');
  const p = await query.orderBy('p.national_code', options.last ? 'desc' : 'asc').executeTakeFirstOrThrow();
  return { justiceId, procedureCode: p.national_code, versionId: p.version_id };
}

/** A walk-in (or postal) dossier recorded through the API by a one-stop officer. */
export async function counterDossier(app: App, counter: Session, input: { procedureCode: string; decidingOrgUnitId: string; applicantName: string; channel?: 1 | 3 }) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/dossiers/counter',
    headers: authHeaders(counter),
    payload: { procedureCode: input.procedureCode, decidingOrgUnitId: input.decidingOrgUnitId, channel: input.channel ?? 1, applicantName: input.applicantName, address: '15 Lê Lợi, phường Nha Trang', request: 'Đề nghị giải quyết thủ tục' },
  });
  if (res.statusCode !== 201) throw new Error(`counter receipt: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; code: string; rowVersion: number; status: number };
}
