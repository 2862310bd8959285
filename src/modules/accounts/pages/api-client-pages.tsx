import { ErrorSummary, type FormErrors, type Option, PageMessages, SelectField, TextField } from '../../../web/form.tsx';
import { formatDateTime } from '../../../web/format.ts';
import { CsrfField, Layout, TableWrap } from '../../../web/layout.tsx';
import type { PageContext } from '../../../web/page-context.ts';
import { type ApiClientView, permissionNameVi } from '../api-clients.ts';

const BASE = '/quan-tri/ung-dung';
export const apiClientLabels = { name: 'Tên ứng dụng', orgUnitId: 'Đơn vị', permissions: 'Quyền' };

const stateVi = (c: ApiClientView) => (c.revokedAt ? `Đã thu hồi ${formatDateTime(new Date(c.revokedAt))}` : 'Đang hoạt động');

/** The API clients of the administrator's units: who may call the API with a key, over which unit, with what. */
export function ApiClientListPage(props: { ctx: PageContext; clients: readonly ApiClientView[] }) {
  return (
    <Layout ctx={props.ctx} title="Ứng dụng kết nối">
      <h1>Ứng dụng kết nối (khóa API)</h1>
      <p>
        Hệ thống khác gọi API của CQS bằng khóa riêng (<code>Authorization: Bearer …</code>), không qua trang đăng nhập. Mỗi khóa gắn với một đơn vị và chỉ có các quyền được cấp trên đơn vị đó và các
        đơn vị trực thuộc.
      </p>
      <p>
        <a class="button" href={`${BASE}/moi`}>
          Tạo khóa mới
        </a>
      </p>
      {props.clients.length === 0 ? (
        <p>Chưa có ứng dụng nào.</p>
      ) : (
        <TableWrap label="Danh sách ứng dụng kết nối">
          <table>
            <thead>
              <tr>
                <th scope="col">Ứng dụng</th>
                <th scope="col">Đơn vị</th>
                <th scope="col">Quyền</th>
                <th scope="col">Khóa</th>
                <th scope="col">Dùng lần cuối</th>
                <th scope="col">Trạng thái</th>
              </tr>
            </thead>
            <tbody>
              {props.clients.map((c) => (
                <tr key={c.id}>
                  <td>
                    <a href={`${BASE}/${c.id}`}>{c.name}</a>
                  </td>
                  <td>{c.orgUnitName}</td>
                  <td>{c.permissions.map(permissionNameVi).join('; ')}</td>
                  <td>
                    <code>{c.keyPrefix}…</code>
                  </td>
                  <td>{c.lastUsedAt ? formatDateTime(new Date(c.lastUsedAt)) : 'Chưa dùng'}</td>
                  <td>{stateVi(c)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Layout>
  );
}

export function NewApiClientPage(props: { ctx: PageContext; units: readonly Option[]; permissions: readonly string[]; form: Readonly<Record<string, string>>; selected: readonly string[]; errors: FormErrors; message?: string | undefined }) {
  const e = props.errors;
  return (
    <Layout ctx={props.ctx} title="Tạo khóa API">
      <p>
        <a href={BASE}>← Ứng dụng kết nối</a>
      </p>
      <h1>Tạo khóa API cho ứng dụng</h1>
      <ErrorSummary errors={e} labels={apiClientLabels} />
      <PageMessages message={props.message} />
      <form method="post" action={`${BASE}/moi`} novalidate>
        <CsrfField ctx={props.ctx} />
        <TextField name="name" label={apiClientLabels.name} hint="Ví dụ: Cổng dịch vụ công quốc gia – đồng bộ hồ sơ" value={props.form.name} error={e.name} required maxLength={200} />
        <SelectField name="orgUnitId" label={apiClientLabels.orgUnitId} hint="Quyền áp dụng cho đơn vị này và các đơn vị trực thuộc." options={props.units} value={props.form.orgUnitId} error={e.orgUnitId} required placeholder="Chọn đơn vị" />
        <fieldset class={e.permissions ? 'field field-error' : 'field'} aria-describedby={e.permissions ? 'f-permissions-error' : undefined}>
          <legend id="f-permissions">Quyền (chọn ít nhất một)</legend>
          {e.permissions ? (
            <p class="error-message" id="f-permissions-error">
              {e.permissions}
            </p>
          ) : null}
          {props.permissions.map((p) => (
            <div key={p}>
              <input type="checkbox" id={`permission-${p}`} name="permissions" value={p} checked={props.selected.includes(p)} />{' '}
              <label for={`permission-${p}`} class="checkbox-label">
                {permissionNameVi(p)} (<code>{p}</code>)
              </label>
            </div>
          ))}
        </fieldset>
        <button type="submit" class="button">
          Tạo khóa
        </button>
      </form>
    </Layout>
  );
}

/** One API client; right after it is made, its key (shown this once). */
export function ApiClientPage(props: { ctx: PageContext; client: ApiClientView; apiKey?: string | undefined; notice?: string | undefined }) {
  const c = props.client;
  return (
    <Layout ctx={props.ctx} title={c.name}>
      <p>
        <a href={BASE}>← Ứng dụng kết nối</a>
      </p>
      <h1>{c.name}</h1>
      <PageMessages notice={props.notice} />
      {props.apiKey ? (
        <div class="notice" role="status">
          <p>Khóa API của ứng dụng (chỉ hiện một lần, hãy sao chép và lưu nơi an toàn):</p>
          <p>
            <code class="secret">{props.apiKey}</code>
          </p>
          <p>
            Gửi kèm mỗi yêu cầu: <code>Authorization: Bearer {'<khóa>'}</code>. Không cần cookie hay mã CSRF.
          </p>
        </div>
      ) : null}
      <dl class="summary">
        <dt>Đơn vị</dt>
        <dd>{c.orgUnitName}</dd>
        <dt>Quyền</dt>
        <dd>{c.permissions.map((p) => `${permissionNameVi(p)} (${p})`).join('; ')}</dd>
        <dt>Khóa</dt>
        <dd>
          <code>{c.keyPrefix}…</code>
        </dd>
        <dt>Tạo lúc</dt>
        <dd>{formatDateTime(new Date(c.createdAt))}</dd>
        <dt>Dùng lần cuối</dt>
        <dd>{c.lastUsedAt ? formatDateTime(new Date(c.lastUsedAt)) : 'Chưa dùng'}</dd>
        <dt>Trạng thái</dt>
        <dd>{stateVi(c)}</dd>
      </dl>
      {c.revokedAt ? null : (
        <form method="post" action={`${BASE}/${c.id}/thu-hoi`}>
          <CsrfField ctx={props.ctx} />
          <button type="submit" class="button button-warning">
            Thu hồi khóa
          </button>
        </form>
      )}
    </Layout>
  );
}
