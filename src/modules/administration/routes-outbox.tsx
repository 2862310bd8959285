import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { formatDateTime } from '../../web/format.ts';
import { CsrfField, Layout, TableWrap } from '../../web/layout.tsx';
import type { PageContext } from '../../web/page-context.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/time.ts';
import { handleFormPost } from '../../web/form-post.ts';
import { actorOf, requireRootPermission } from '../../platform/http/request-context.ts';
import { pageContext, sendPage } from '../../web/pages.tsx';
import type { App } from '../../platform/http/server.ts';
import { LIST_LIMIT, listMessages } from '../../platform/outbox/list-messages.ts';
import { retryMessage } from '../../platform/outbox/retry-message.ts';
import { OutboxListQuery, OutboxMessageParams, OutboxMessageView } from '../../platform/outbox/schema.ts';

const statusVi = { pending: 'Chờ gửi', sent: 'Đã gửi', failed: 'Gửi không được' } as const;
const topicVi: Readonly<Record<string, string>> = { email: 'Thư điện tử', sms: 'SMS', webhook: 'Webhook' };

// Messages concern the whole province (no org unit of their own): only a root administrator sees and resends them.
const requireOutboxAdmin = (request: FastifyRequest) => requireRootPermission(request, 'outbox.manage');

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** What a person reading the table needs: who it goes to and what it says, whatever the topic's payload. */
function summaryOf(m: OutboxMessageView): { to: string; content: string } {
  const p = m.payload;
  const content = text(p.text) || text(p.subject) || JSON.stringify(p);
  return { to: text(p.to) || text(p.url), content: content.length > 300 ? `${content.slice(0, 300)}…` : content };
}

function RecordRef(props: { m: OutboxMessageView }) {
  const { recordType, recordId } = props.m;
  if (!recordType || !recordId) return null;
  if (recordType === 'dossier') return <a href={`/mot-cua/ho-so/${encodeURIComponent(recordId)}`}>Hồ sơ</a>;
  return <>{`${recordType} ${recordId}`}</>;
}

/** The columns both tables start with: when, which channel, to whom, what. */
function MessageHeads() {
  return (
    <>
      <th scope="col">Thời điểm</th>
      <th scope="col">Kênh</th>
      <th scope="col">Người nhận</th>
      <th scope="col">Nội dung</th>
    </>
  );
}

function MessageCells(props: { m: OutboxMessageView; withRecord?: boolean }) {
  const { m } = props;
  const s = summaryOf(m);
  return (
    <>
      <td>{formatDateTime(new Date(m.createdAt))}</td>
      <td>{topicVi[m.topic] ?? m.topic}</td>
      <td>{s.to}</td>
      <td>
        {s.content}
        {props.withRecord ? (
          <>
            {' '}
            <RecordRef m={m} />
          </>
        ) : null}
      </td>
    </>
  );
}

function FailedTable(props: { ctx: PageContext; messages: readonly OutboxMessageView[] }) {
  if (props.messages.length === 0) return <p>Không có thông báo nào gửi không được.</p>;
  return (
    <TableWrap label="Thông báo gửi không được">
      <table>
        <thead>
          <tr>
            <MessageHeads />
            <th scope="col">Lỗi lần cuối</th>
            <th scope="col">Thao tác</th>
          </tr>
        </thead>
        <tbody>
          {props.messages.map((m) => {
            const s = summaryOf(m);
            return (
              <tr key={m.id}>
                <MessageCells m={m} withRecord />
                <td>
                  {m.lastError ?? ''} ({m.attempts} lần)
                </td>
                <td>
                  <form method="post" action={`/quan-tri/hop-thu/${m.id}/gui-lai`} class="inline-form">
                    <CsrfField ctx={props.ctx} />
                    <button type="submit" class="button">
                      Gửi lại<span class="visually-hidden"> thông báo tới {s.to || topicVi[m.topic] || m.topic}</span>
                    </button>
                  </form>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}

function RecentTable(props: { messages: readonly OutboxMessageView[] }) {
  return (
    <TableWrap label="Thông báo gần đây">
      <table>
        <thead>
          <tr>
            <MessageHeads />
            <th scope="col">Trạng thái</th>
          </tr>
        </thead>
        <tbody>
          {props.messages.map((m) => {
            return (
              <tr key={m.id}>
                <MessageCells m={m} />
                <td>
                  {statusVi[m.status]}
                  {m.attempts > 1 ? ` (${m.attempts} lần)` : ''}
                  {m.lastError && m.status !== 'sent' ? `: ${m.lastError}` : ''}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}

type Notice = { readonly kind: 'ok' | 'error'; readonly text: string } | null;

function OutboxPage(props: { ctx: PageContext; failed: readonly OutboxMessageView[]; recent: readonly OutboxMessageView[]; notice: Notice }) {
  const { notice } = props;
  return (
    <Layout ctx={props.ctx} title="Hộp thư đi">
      <h1>Hộp thư đi (thư điện tử, tin nhắn)</h1>
      <p>Thông báo gửi ra ngoài đi qua hộp thư này: được ghi cùng lúc với thay đổi gây ra nó, rồi gửi và thử lại khi lỗi.</p>
      {notice?.kind === 'ok' ? (
        <p class="notice" role="status">
          {notice.text}
        </p>
      ) : null}
      {notice?.kind === 'error' ? (
        <div class="error-summary" role="alert" tabIndex={-1}>
          <p>{notice.text}</p>
        </div>
      ) : null}
      <h2>Gửi không được</h2>
      <p>Các thông báo đã hết số lần thử hoặc không gửi được; kiểm tra máy chủ thư, cổng SMS rồi bấm “Gửi lại”.</p>
      <FailedTable ctx={props.ctx} messages={props.failed} />
      <h2>Thông báo gần đây</h2>
      <RecentTable messages={props.recent} />
    </Layout>
  );
}

async function renderPage(db: Db, request: FastifyRequest, notice: Notice) {
  const [failed, recent] = await Promise.all([listMessages(db, { status: 'failed' }), listMessages(db)]);
  return <OutboxPage ctx={pageContext(request)} failed={failed} recent={recent} notice={notice} />;
}

export function outboxRoutes(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  return (app: App) => {
    app.get('/quan-tri/hop-thu', { schema: { hide: true } }, async (request, reply) => {
      requireOutboxAdmin(request);
      const resent = (request.query as Record<string, unknown>)['da-gui-lai'] === '1';
      return sendPage(reply, await renderPage(db, request, resent ? { kind: 'ok', text: 'Đã đưa thông báo vào hàng gửi lại.' } : null));
    });

    app.post('/quan-tri/hop-thu/:id/gui-lai', { schema: { hide: true, params: OutboxMessageParams } }, async (request, reply) => {
      requireOutboxAdmin(request);
      return handleFormPost(request, reply, {
        fields: [],
        toInput: () => request.params.id,
        run: async (id) => {
          await retryMessage(db, { now: clock.now() }, actorOf(request), id);
          return '/quan-tri/hop-thu?da-gui-lai=1';
        },
        // A second click, or another administrator first: say so on the page rather than on an error page.
        render: async (state) => sendPage(reply, await renderPage(db, request, { kind: 'error', text: state.message }), state.status),
        shown: ['conflict'],
      });
    });

    app.get(
      '/api/v1/outbox-messages',
      { schema: { tags: ['outbox'], summary: `The ${LIST_LIMIT} most recent outgoing messages, optionally of one status (province administrators)`, querystring: OutboxListQuery, response: { 200: Type.Array(OutboxMessageView) } } },
      async (request) => {
        requireOutboxAdmin(request);
        return listMessages(db, request.query.status ? { status: request.query.status } : {});
      },
    );

    app.post(
      '/api/v1/outbox-messages/:id/retry',
      { schema: { tags: ['outbox'], summary: 'Send a failed message again: due at once with a fresh count of attempts (409 unless failed)', params: OutboxMessageParams, response: { 200: OutboxMessageView } } },
      async (request) => {
        requireOutboxAdmin(request);
        return retryMessage(db, { now: clock.now() }, actorOf(request), request.params.id);
      },
    );
  };
}
