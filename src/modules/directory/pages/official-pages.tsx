import { knownRoles, roleNameVi } from '../../../platform/auth/permissions.ts';
import type { Role } from '../../../platform/db/schema.ts';
import { ErrorSummary, PageMessages, type FormErrors, type Option, SelectField, TextField } from '../../../web/form.tsx';
import { CsrfField, Layout, TableWrap } from '../../../web/layout.tsx';
import type { PageContext } from '../../../web/page-context.ts';
import type { OfficialView, OrgUnitView } from '../schema.ts';

const labels = { username: 'Tên đăng nhập', fullName: 'Họ và tên', email: 'Thư điện tử', phone: 'Số điện thoại', orgUnitId: 'Đơn vị', roles: 'Vai trò', role: 'Vai trò', password: 'Mật khẩu' };
// Built when a page renders: the roles are those the modules registered.
const roleOptions = (): Option[] => knownRoles().map((r) => ({ value: r, label: roleNameVi(r) }));
const unitOptions = (units: readonly OrgUnitView[]): Option[] => units.map((u) => ({ value: u.id, label: `${'— '.repeat(u.depth)}${u.name}` }));
const roleText = (role: string) => roleNameVi(role as Role);

export function OfficialListPage(props: { ctx: PageContext; units: readonly OrgUnitView[]; query: Record<string, string>; result: { items: readonly OfficialView[]; total: number }; errors: FormErrors; nextOffset: number | null }) {
  const next = new URLSearchParams({ ...props.query, offset: String(props.nextOffset ?? 0) });
  return (
    <Layout ctx={props.ctx} title="Cán bộ">
      <h1>Cán bộ, công chức</h1>
      <p>
        <a class="button" href="/quan-tri/can-bo/moi">
          Thêm cán bộ
        </a>
      </p>
      <ErrorSummary errors={props.errors} labels={{ q: 'Tìm kiếm', orgUnitId: 'Đơn vị' }} />
      <search>
        <form method="get" action="/quan-tri/can-bo" class="filters">
          <TextField name="q" type="search" label="Tên hoặc tên đăng nhập" hint="Có dấu hoặc không dấu" value={props.query.q} error={props.errors.q} maxLength={100} />
          <SelectField name="orgUnitId" label="Đơn vị" value={props.query.orgUnitId} error={props.errors.orgUnitId} options={unitOptions(props.units)} placeholder="Tất cả đơn vị" />
          <div class="actions">
            <button type="submit" class="button">
              Lọc
            </button>
          </div>
        </form>
      </search>
      <p>{props.result.total} cán bộ.</p>
      <TableWrap label="Danh sách cán bộ">
        <table>
          <caption class="visually-hidden">Danh sách cán bộ</caption>
          <thead>
            <tr>
              <th scope="col">Họ và tên</th>
              <th scope="col">Tên đăng nhập</th>
              <th scope="col">Vai trò</th>
              <th scope="col">Trạng thái</th>
            </tr>
          </thead>
          <tbody>
            {props.result.items.map((o) => (
              <tr key={o.id}>
                <td>
                  <a href={`/quan-tri/can-bo/${o.id}`}>{o.fullName}</a>
                </td>
                <td>{o.username}</td>
                <td>{o.roles.map((r) => `${roleText(r.role)} – ${r.orgUnitName}`).join('; ')}</td>
                <td>{o.status === 'active' ? 'Hoạt động' : 'Đã khóa'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {props.nextOffset !== null ? (
        <p class="pagination">
          <a href={`/quan-tri/can-bo?${next.toString()}`}>Trang sau</a>
        </p>
      ) : null}
    </Layout>
  );
}

function RoleCheckboxes(props: { selected: readonly string[]; error?: string | undefined }) {
  return (
    <fieldset class={props.error ? 'field field-error' : 'field'} aria-describedby={props.error ? 'f-roles-error' : undefined}>
      <legend id="f-roles">Vai trò (chọn ít nhất một)</legend>
      {props.error ? (
        <p class="error-message" id="f-roles-error">
          {props.error}
        </p>
      ) : null}
      {roleOptions().map((o) => (
        <div key={o.value}>
          <input type="checkbox" id={`role-${o.value}`} name="roles" value={o.value} checked={props.selected.includes(o.value)} />{' '}
          <label for={`role-${o.value}`} class="checkbox-label">
            {o.label}
          </label>
        </div>
      ))}
    </fieldset>
  );
}

export function NewOfficialPage(props: { ctx: PageContext; units: readonly OrgUnitView[]; form: Record<string, string>; roles: readonly string[]; errors: FormErrors }) {
  const e = props.errors;
  return (
    <Layout ctx={props.ctx} title="Thêm cán bộ">
      <p>
        <a href="/quan-tri/can-bo">← Cán bộ</a>
      </p>
      <h1>Thêm cán bộ</h1>
      <ErrorSummary errors={e} labels={labels} />
      <form method="post" action="/quan-tri/can-bo/moi" novalidate>
        <CsrfField ctx={props.ctx} />
        <TextField name="username" label={labels.username} hint="Chữ thường không dấu, số, dấu chấm, gạch; ví dụ nguyen.van.a" value={props.form.username} error={e.username} required maxLength={50} autocomplete="off" />
        <TextField name="fullName" label={labels.fullName} value={props.form.fullName} error={e.fullName} required maxLength={200} />
        <TextField name="email" label={labels.email} type="email" value={props.form.email} error={e.email} maxLength={200} />
        <TextField name="phone" label={labels.phone} type="tel" value={props.form.phone} error={e.phone} maxLength={10} />
        <SelectField name="orgUnitId" label={labels.orgUnitId} value={props.form.orgUnitId} error={e.orgUnitId} options={unitOptions(props.units)} placeholder="Chọn đơn vị" required />
        <RoleCheckboxes selected={props.roles} error={e.roles} />
        <TextField name="password" label="Mật khẩu ban đầu" type="password" hint="Từ 10 ký tự, gồm ít nhất 3 loại ký tự" error={e.password} required maxLength={200} autocomplete="new-password" />
        <button type="submit" class="button">
          Tạo tài khoản
        </button>
      </form>
    </Layout>
  );
}

export function OfficialPage(props: { ctx: PageContext; official: OfficialView; units: readonly OrgUnitView[]; form: Record<string, string>; errors: FormErrors; message?: string; notice?: string }) {
  const o = props.official;
  const e = props.errors;
  const base = `/quan-tri/can-bo/${o.id}`;
  return (
    <Layout ctx={props.ctx} title={o.fullName}>
      <p>
        <a href="/quan-tri/can-bo">← Cán bộ</a>
      </p>
      <h1>{o.fullName}</h1>
      <p>
        Tên đăng nhập: <strong>{o.username}</strong>. Trạng thái: {o.status === 'active' ? 'Hoạt động' : 'Đã khóa'}.
      </p>
      <PageMessages notice={props.notice} message={props.message} />
      <ErrorSummary errors={e} labels={labels} />
      <h2>Thông tin</h2>
      <form method="post" action={base} novalidate>
        <CsrfField ctx={props.ctx} />
        <input type="hidden" name="rowVersion" value={props.form.rowVersion ?? String(o.rowVersion)} />
        <TextField name="fullName" label={labels.fullName} value={props.form.fullName ?? o.fullName} error={e.fullName} required maxLength={200} />
        <TextField name="email" label={labels.email} type="email" value={props.form.email ?? o.email ?? ''} error={e.email} maxLength={200} />
        <TextField name="phone" label={labels.phone} type="tel" value={props.form.phone ?? o.phone ?? ''} error={e.phone} maxLength={10} />
        <button type="submit" class="button">
          Lưu
        </button>
      </form>
      <h2>Vai trò</h2>
      <ul>
        {o.roles.map((r) => (
          <li key={r.id}>
            {roleText(r.role)} – {r.orgUnitName}{' '}
            <form method="post" action={`${base}/vai-tro/${r.id}/xoa`} class="inline-form">
              <CsrfField ctx={props.ctx} />
              <button type="submit" class="link-button">
                Bỏ<span class="visually-hidden"> vai trò {roleText(r.role)} tại {r.orgUnitName}</span>
              </button>
            </form>
          </li>
        ))}
      </ul>
      <form method="post" action={`${base}/vai-tro`} novalidate>
        <CsrfField ctx={props.ctx} />
        <SelectField name="orgUnitId" label="Đơn vị của vai trò mới" value={props.form.grantOrgUnitId} error={e.orgUnitId} options={unitOptions(props.units)} placeholder="Chọn đơn vị" required />
        <SelectField name="role" label="Vai trò mới" value={props.form.grantRole} error={e.role} options={roleOptions()} placeholder="Chọn vai trò" required />
        <button type="submit" class="button button-secondary">
          Thêm vai trò
        </button>
      </form>
      <h2>Tài khoản</h2>
      <form method="post" action={`${base}/${o.status === 'active' ? 'khoa' : 'mo-khoa'}`} class="actions">
        <CsrfField ctx={props.ctx} />
        <button type="submit" class="button button-secondary">
          {o.status === 'active' ? 'Khóa tài khoản' : 'Mở khóa tài khoản'}
        </button>
      </form>
      <form method="post" action={`${base}/dat-lai-mat-khau`} novalidate>
        <CsrfField ctx={props.ctx} />
        <TextField name="password" label="Mật khẩu mới" type="password" error={e.password} maxLength={200} autocomplete="new-password" />
        <button type="submit" class="button button-secondary">
          Đặt lại mật khẩu
        </button>
      </form>
    </Layout>
  );
}
