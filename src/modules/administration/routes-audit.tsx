import type { FastifyRequest } from 'fastify';
import { withIsoDates } from '../../platform/time.ts';
import { DateField, errorsByField, ErrorSummary, TextField } from '../../web/form.tsx';
import { formatDateTime } from '../../web/format.ts';
import { Layout, TableWrap } from '../../web/layout.tsx';
import type { PageContext } from '../../web/page-context.ts';
import { type CurrentUser, permissionScopes } from '../../platform/auth/permissions.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/database.ts';
import type { FieldError } from '../../platform/errors.ts';
import { requirePermission } from '../../platform/http/request-context.ts';
import { pageContext, sendPage } from '../../web/pages.tsx';
import type { App } from '../../platform/http/server.ts';
import { schemaFieldErrors } from '../../platform/http/validation.ts';
import { checkpointDir } from '../../platform/audit/checkpoints.ts';
import { type AuditScope, listAuditEvents } from '../../platform/audit/list-audit-events.ts';
import { AuditPage, AuditQuery, AuditVerificationResponse } from '../../platform/audit/schema.ts';
import { verifyAuditLog } from '../../platform/audit/verify-audit-log.ts';
import { AppError } from '../../platform/errors.ts';
import { Value } from 'typebox/value';

const isRootPath = (path: string) => /^\/[^/]+\/$/.test(path);

function scopeOf(user: CurrentUser): AuditScope {
  const orgPaths = permissionScopes(user, 'audit.read');
  return { orgPaths, includeUnscoped: orgPaths.some(isRootPath) };
}

type Events = Awaited<ReturnType<typeof listAuditEvents>>;

const labels = { action: 'Hành động', actor: 'Người thực hiện', entityType: 'Loại đối tượng', entityId: 'Mã đối tượng', from: 'Từ ngày', to: 'Đến ngày' };

function summaryText(summary: unknown): string {
  const text = JSON.stringify(summary);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function AuditLogPage(props: { ctx: PageContext; query: Record<string, string>; errors: readonly FieldError[]; events: Events | null }) {
  const errors = errorsByField(props.errors);
  const q = props.query;
  const next = props.events?.nextBefore;
  const nextParams = new URLSearchParams({ ...q, before: String(next ?? '') });
  return (
    <Layout ctx={props.ctx} title="Nhật ký hệ thống">
      <h1>Nhật ký hệ thống</h1>
      <p>Mọi thao tác thay đổi dữ liệu đều được ghi lại, nối chuỗi bằng mã băm để phát hiện chỉnh sửa hoặc xóa.</p>
      <ErrorSummary errors={errors} labels={labels} />
      <form method="get" action="/quan-tri/nhat-ky" class="filters">
        <TextField name="action" label={labels.action} hint="Ví dụ: official. hoặc auth.login" value={q.action} error={errors.action} maxLength={100} />
        <TextField name="actor" label={labels.actor} value={q.actor} error={errors.actor} maxLength={100} />
        <TextField name="entityType" label={labels.entityType} value={q.entityType} error={errors.entityType} maxLength={50} />
        <TextField name="entityId" label={labels.entityId} value={q.entityId} error={errors.entityId} maxLength={100} />
        <DateField name="from" label={labels.from} value={q.from} error={errors.from} />
        <DateField name="to" label={labels.to} value={q.to} error={errors.to} />
        <div class="actions">
          <button type="submit" class="button">
            Lọc
          </button>
        </div>
      </form>
      {props.events ? (
        <>
          <TableWrap label="Sự kiện nhật ký">
            <table>
              <caption class="visually-hidden">Các sự kiện nhật ký, mới nhất trước</caption>
              <thead>
                <tr>
                  <th scope="col">STT</th>
                  <th scope="col">Chuỗi</th>
                  <th scope="col">Thời điểm</th>
                  <th scope="col">Người thực hiện</th>
                  <th scope="col">Hành động</th>
                  <th scope="col">Đối tượng</th>
                  <th scope="col">Nội dung</th>
                </tr>
              </thead>
              <tbody>
                {props.events.items.map((e) => (
                  <tr key={e.seq}>
                    <td>{e.seq}</td>
                    <td>{e.stream === null ? 'chờ niêm phong' : `${e.stream}.${e.streamSeq}`}</td>
                    <td>{formatDateTime(new Date(e.occurredAt))}</td>
                    <td>{e.actorLabel}</td>
                    <td>{e.action}</td>
                    <td>
                      {e.entityType} {e.entityId}
                    </td>
                    <td>
                      <code>{summaryText(e.summary)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {props.events.items.length === 0 ? <p>Không có sự kiện nào phù hợp.</p> : null}
          {next ? (
            <p class="pagination">
              <a href={`/quan-tri/nhat-ky?${nextParams.toString()}`}>Trang sau</a>
            </p>
          ) : null}
        </>
      ) : null}
    </Layout>
  );
}

function cleanQuery(request: FastifyRequest): Record<string, string> {
  const raw = request.query as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const key of ['action', 'actor', 'entityType', 'entityId', 'from', 'to', 'before']) {
    const v = raw[key];
    if (typeof v === 'string' && v.trim() !== '') out[key] = v.trim();
  }
  return out;
}

export function auditRoutes(deps: { db: Db; config: Config }) {
  return (app: App) => {
    app.get('/quan-tri/nhat-ky', { schema: { hide: true } }, async (request, reply) => {
      const user = requirePermission(request, 'audit.read');
      const query = cleanQuery(request);
      const converted = Value.Convert(AuditQuery, withIsoDates({ ...query }, ['from', 'to'])) as AuditQuery;
      const errors = schemaFieldErrors(AuditQuery, converted);
      const ctx = pageContext(request);
      if (errors.length > 0) return sendPage(reply, <AuditLogPage ctx={ctx} query={query} errors={errors} events={null} />, 400);
      const events = await listAuditEvents(deps.db, scopeOf(user), converted);
      return sendPage(reply, <AuditLogPage ctx={ctx} query={query} errors={[]} events={events} />);
    });

    app.get(
      '/api/v1/audit-events',
      { schema: { tags: ['audit'], summary: 'Audit events in the caller’s org subtree, newest first', querystring: AuditQuery, response: { 200: AuditPage } } },
      async (request) => {
        const user = requirePermission(request, 'audit.read');
        return listAuditEvents(deps.db, scopeOf(user), request.query);
      },
    );

    app.get(
      '/api/v1/audit-events/verification',
      { schema: { tags: ['audit'], summary: 'Recompute the hash chain (administrators of a root unit)', response: { 200: AuditVerificationResponse } } },
      async (request) => {
        const user = requirePermission(request, 'audit.read');
        if (!scopeOf(user).includeUnscoped) throw new AppError('forbidden');
        // Read-only (a GET): the checkpoint after a verification is written by `cqs audit verify` and the periodic job.
        const { config } = deps;
        const key = { secret: config.auditKey, ephemeral: config.auditKeyEphemeral };
        const v = await verifyAuditLog(deps.db, { key, checkpointDir: checkpointDir(config.dataDir) });
        return { ...v, heads: [...v.heads], intact: v.problems.length === 0, problems: [...v.problems], warnings: [...v.warnings] };
      },
    );
  };
}
