import { createReadStream } from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { hasPermissionAnywhere } from '../../platform/auth/permissions.ts';
import { AppError } from '../../platform/errors.ts';
import { type ExportView, exportJson, ExportViewSchema, listExports, readExport } from '../../platform/exports/index.ts';
import { requireUser } from '../../platform/http/request-context.ts';
import type { App } from '../../platform/http/server.ts';
import type { KernelServices } from '../../platform/modules/manifest.ts';
import { pageContext, sendPage } from '../../web/pages.tsx';
import { ExportListPage, ExportPage } from './pages/export-pages.tsx';

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The files a user asked to be exported: their progress, and the download once written (pages and API). */
export function exportRoutes(services: KernelServices) {
  const { db, clock, exports: runner } = services;
  const mine = (request: FastifyRequest, id: string) => readExport(db, requireUser(request).id, id, clock.now());

  /** The file, to its requester only, once written, and while they still hold the permission it was made under. */
  const sendFile = (request: FastifyRequest, reply: FastifyReply, view: ExportView) => {
    const kind = runner.kindOf(view.kind);
    if (!kind || !hasPermissionAnywhere(requireUser(request), kind.permission)) throw new AppError('forbidden');
    if (view.status !== 'done') {
      throw new AppError('conflict', { messageVi: view.status === 'failed' ? 'Không xuất được tệp này; vui lòng yêu cầu xuất lại.' : 'Tệp đang được xuất, chưa tải về được.', detail: `The export is ${view.status}, not done.` });
    }
    return reply
      .header('content-type', XLSX)
      .header('content-disposition', `attachment; filename="${view.fileName}"`)
      .header('cache-control', 'private, no-store')
      .send(createReadStream(runner.fileOf(view.id)));
  };

  return (app: App) => {
    app.get('/tai-ve', { schema: { hide: true } }, async (request, reply) => {
      const user = requireUser(request);
      return sendPage(reply, <ExportListPage ctx={pageContext(request)} exports={await listExports(db, user.id, clock.now())} />);
    });
    app.get('/tai-ve/:id', { schema: { hide: true, params: IdParams } }, async (request, reply) => sendPage(reply, <ExportPage ctx={pageContext(request)} view={await mine(request, request.params.id)} />));
    app.get('/tai-ve/:id/tep', { schema: { hide: true, params: IdParams } }, async (request, reply) => sendFile(request, reply, await mine(request, request.params.id)));

    app.get('/api/v1/exports', { schema: { tags: ['exports'], summary: 'The caller’s exports, newest first, while they are kept', response: { 200: Type.Object({ items: Type.Array(ExportViewSchema) }) } } }, async (request) => ({
      items: (await listExports(db, requireUser(request).id, clock.now())).map(exportJson),
    }));
    app.get('/api/v1/exports/:id', { schema: { tags: ['exports'], summary: 'One of the caller’s exports: state and progress', params: IdParams, response: { 200: ExportViewSchema } } }, async (request) =>
      exportJson(await mine(request, request.params.id)),
    );
    app.get('/api/v1/exports/:id/file', { schema: { tags: ['exports'], summary: 'The written file (409 until the export is done)', params: IdParams } }, async (request, reply) =>
      sendFile(request, reply, await mine(request, request.params.id)),
    );
  };
}
