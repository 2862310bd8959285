import { Type } from 'typebox';
import { formatDateTime } from '../../web/format.ts';
import { Layout, TableWrap } from '../../web/layout.tsx';
import type { PageContext } from '../../web/page-context.ts';
import type { Db } from '../db/database.ts';
import { requireRootPermission } from '../http/request-context.ts';
import { pageContext, sendPage } from '../../web/pages.tsx';
import type { App } from '../http/server.ts';

const statusVi = { pending: 'Chờ gửi', sent: 'Đã gửi', failed: 'Gửi không được' } as const;

async function recentMessages(db: Db) {
  const rows = await db
    .selectFrom('outbox_messages')
    .select(['id', 'channel', 'recipient', 'subject', 'body', 'status', 'attempts', 'last_error', 'created_at', 'sent_at'])
    .orderBy('created_at', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => ({ ...r, createdAt: r.created_at.toISOString(), sentAt: r.sent_at ? r.sent_at.toISOString() : null, lastError: r.last_error }));
}

function OutboxPage(props: { ctx: PageContext; messages: Awaited<ReturnType<typeof recentMessages>> }) {
  return (
    <Layout ctx={props.ctx} title="Hộp thư đi">
      <h1>Hộp thư đi (thư điện tử, tin nhắn)</h1>
      <p>Thông báo gửi người dân đi qua hộp thư này: được ghi cùng lúc với thay đổi của hồ sơ, rồi gửi và thử lại khi lỗi.</p>
      <TableWrap label="Thông báo gần đây">
        <table>
          <thead>
            <tr>
              <th scope="col">Thời điểm</th>
              <th scope="col">Kênh</th>
              <th scope="col">Người nhận</th>
              <th scope="col">Nội dung</th>
              <th scope="col">Trạng thái</th>
            </tr>
          </thead>
          <tbody>
            {props.messages.map((m) => (
              <tr key={m.id}>
                <td>{formatDateTime(new Date(m.createdAt))}</td>
                <td>{m.channel === 'email' ? 'Thư điện tử' : 'SMS'}</td>
                <td>{m.recipient}</td>
                <td>{m.body}</td>
                <td>
                  {statusVi[m.status]}
                  {m.attempts > 1 ? ` (${m.attempts} lần)` : ''}
                  {m.lastError && m.status !== 'sent' ? `: ${m.lastError}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </Layout>
  );
}

const MessageView = Type.Object({
  id: Type.String(),
  channel: Type.String(),
  recipient: Type.String(),
  subject: Type.Union([Type.String(), Type.Null()]),
  body: Type.String(),
  status: Type.String(),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  sentAt: Type.Union([Type.String(), Type.Null()]),
});

export function outboxRoutes(deps: { db: Db }) {
  return (app: App) => {
    app.get('/quan-tri/hop-thu', { schema: { hide: true } }, async (request, reply) => {
      requireRootPermission(request, 'outbox.manage');
      return sendPage(reply, <OutboxPage ctx={pageContext(request)} messages={await recentMessages(deps.db)} />);
    });
    app.get('/api/v1/outbox-messages', { schema: { tags: ['outbox'], summary: 'The 100 most recent outgoing notifications (province administrators)', response: { 200: Type.Array(MessageView) } } }, async (request) => {
      requireRootPermission(request, 'outbox.manage');
      return (await recentMessages(deps.db)).map(({ created_at: _c, sent_at: _s, last_error: _l, ...m }) => m);
    });
  };
}
