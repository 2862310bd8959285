import type { FastifyRequest } from 'fastify';
import { Value } from 'typebox/value';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/database.ts';
import { pageContext, sendPage } from '../../web/pages.tsx';
import type { App } from '../../platform/http/server.ts';
import { schemaFieldErrors } from '../../platform/http/validation.ts';
import { errorsByField } from '../../web/form.tsx';
import { AppError } from '../../platform/errors.ts';
import { decidingUnitsOf } from './assign-procedures.ts';
import { getProcedure } from './get-procedure.ts';
import { type CatalogueFilters, CataloguePage } from './pages/catalogue-page.tsx';
import { ProcedurePage } from './pages/procedure-page.tsx';
import { proceduresAdminRoutes } from './routes-admin.tsx';
import { procedureConfigRoutes } from './routes-config.tsx';
import { CodeParams, UnitList, ProcedureDetail, ProcedureSearchQuery, ProcedureSearchResult, SectorList, VersionParams } from './schema.ts';
import { listSectors, searchProcedures } from './search-procedures.ts';

function filtersOf(request: FastifyRequest): { filters: CatalogueFilters; offset: string } {
  const raw = request.query as Record<string, unknown>;
  const s = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string).trim() : '');
  return { filters: { q: s('q'), sector: s('sector'), level: s('level'), onlineLevel: s('onlineLevel') }, offset: s('offset') };
}

export function proceduresRoutes(deps: { db: Db; config: Config }) {
  const { db } = deps;
  return async (app: App) => {
    app.get('/thu-tuc', { schema: { hide: true } }, async (request, reply) => {
      const { filters, offset } = filtersOf(request);
      const input = Object.fromEntries(Object.entries({ ...filters, offset }).filter(([, v]) => v !== ''));
      const query = Value.Convert(ProcedureSearchQuery, input) as ProcedureSearchQuery;
      const errors = schemaFieldErrors(ProcedureSearchQuery, query);
      const sectors = await listSectors(db);
      const ctx = pageContext(request);
      if (errors.length > 0) {
        return sendPage(reply, <CataloguePage ctx={ctx} filters={filters} sectors={sectors} result={null} errors={errorsByField(errors)} />, 400);
      }
      const result = await searchProcedures(db, query);
      return sendPage(reply, <CataloguePage ctx={ctx} filters={filters} sectors={sectors} result={result} errors={{}} />);
    });

    app.get('/thu-tuc/:code', { schema: { hide: true, params: CodeParams } }, async (request, reply) => {
      const p = await getProcedure(db, (request.params as { code: string }).code);
      const handled = await db
        .selectFrom('procedure_assignments as a')
        .innerJoin('procedures as pr', 'pr.id', 'a.procedure_id')
        .select('a.org_unit_id')
        .where('pr.national_code', '=', p.nationalCode)
        .limit(1)
        .executeTakeFirst();
      return sendPage(reply, <ProcedurePage ctx={pageContext(request)} p={p} onlineSubmission={handled !== undefined && p.channels.includes('online')} />);
    });

    app.get('/thu-tuc/:code/phien-ban/:versionNo', { schema: { hide: true, params: VersionParams } }, async (request, reply) => {
      const params = request.params as { code: string; versionNo: number };
      const p = await getProcedure(db, params.code, params.versionNo);
      return sendPage(reply, <ProcedurePage ctx={pageContext(request)} p={p} onlineSubmission={false} />);
    });

    app.get(
      '/api/v1/procedures',
      { schema: { security: [], tags: ['procedures'], summary: 'Search the procedures in force (public)', querystring: ProcedureSearchQuery, response: { 200: ProcedureSearchResult } } },
      async (request) => searchProcedures(db, request.query),
    );
    app.get(
      '/api/v1/procedures/:code',
      { schema: { security: [], tags: ['procedures'], summary: 'A procedure’s version in force (public)', params: CodeParams, response: { 200: ProcedureDetail } } },
      async (request) => getProcedure(db, request.params.code),
    );
    app.get(
      '/api/v1/procedures/:code/versions/:versionNo',
      { schema: { security: [], tags: ['procedures'], summary: 'One version of a procedure, in force or not (public)', params: VersionParams, response: { 200: ProcedureDetail } } },
      async (request) => getProcedure(db, request.params.code, request.params.versionNo),
    );
    app.get(
      '/api/v1/procedures/:code/units',
      { schema: { security: [], tags: ['procedures'], summary: 'The org units that decide this procedure (choose one when submitting a dossier)', params: CodeParams, response: { 200: UnitList } } },
      async (request) => {
        const procedure = await db.selectFrom('procedures').select('id').where('national_code', '=', request.params.code).executeTakeFirst();
        if (!procedure) throw new AppError('not_found');
        return (await decidingUnitsOf(db, procedure.id)).map((u) => ({ id: u.id, name: u.name }));
      },
    );
    app.get('/api/v1/sectors', { schema: { security: [], tags: ['procedures'], summary: 'Sectors with their number of procedures in force', response: { 200: SectorList } } }, async () =>
      listSectors(db),
    );

    await app.register(proceduresAdminRoutes(deps));
    await app.register(procedureConfigRoutes(deps));
  };
}
