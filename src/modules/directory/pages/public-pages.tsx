import { DateField, ErrorSummary, type FormErrors, PageMessages, TextField } from '../../../web/form.tsx';
import { formatIsoDate } from '../../../web/format.ts';
import { CsrfField, Layout } from '../../../web/layout.tsx';
import type { PageContext } from '../../../web/page-context.ts';
import type { AdminUnitHistory } from '../find-admin-unit.ts';
import { REGISTRATION_SENT_VI } from '../register-citizen.ts';

const linkKindText = (k: string) => (k === 'partial' ? ' (một phần)' : '');

export function AdminUnitLookupPage(props: { ctx: PageContext; form: Record<string, string>; errors: FormErrors; results: readonly AdminUnitHistory[] | null }) {
  const on = props.form.on ?? '';
  return (
    <Layout ctx={props.ctx} title="Tra cứu đơn vị hành chính">
      <h1>Tra cứu đơn vị hành chính</h1>
      <p>Tìm một xã, phường (hoặc huyện, tỉnh trước 01/07/2025) theo mã hoặc tên tại một ngày, và xem nay thuộc đơn vị nào.</p>
      <ErrorSummary errors={props.errors} labels={{ code: 'Mã', q: 'Tên', on: 'Tại ngày' }} />
      <search>
        <form method="get" action="/don-vi-hanh-chinh" class="filters">
          <TextField name="q" label="Tên đơn vị" hint="Có dấu hoặc không dấu" value={props.form.q} error={props.errors.q} maxLength={100} />
          <TextField name="code" label="Mã thống kê" inputMode="numeric" value={props.form.code} error={props.errors.code} maxLength={5} />
          <DateField name="on" label="Tại ngày" hint="Bỏ trống: hôm nay" value={on} error={props.errors.on} />
          <div class="actions">
            <button type="submit" class="button">
              Tra cứu
            </button>
          </div>
        </form>
      </search>
      {props.results === null ? null : props.results.length === 0 ? (
        <p>Không tìm thấy đơn vị nào{on ? ` có hiệu lực ngày ${formatIsoDate(on)}` : ''}.</p>
      ) : (
        <ul class="result-list">
          {props.results.map((u) => (
            <li key={u.id}>
              <strong>{u.fullName}</strong> (mã {u.code}){u.parents.length > 0 ? `, ${u.parents.map((p) => p.fullName).join(', ')}` : ''}
              <p class="meta">
                Hiệu lực từ {formatIsoDate(u.validFrom)}
                {u.validTo ? ` đến trước ${formatIsoDate(u.validTo)}` : ''}
              </p>
              {u.predecessors.length > 0 ? <p>Hình thành từ: {u.predecessors.map((p) => `${p.fullName}${linkKindText(p.linkKind)}`).join('; ')}</p> : null}
              {u.validTo ? <p>Nay là: {u.current.length > 0 ? u.current.map((c) => `${c.fullName}${linkKindText(c.linkKind)}`).join('; ') : 'không còn đơn vị kế thừa'}</p> : null}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function RegisterPage(props: { ctx: PageContext; form: Record<string, string>; errors: FormErrors; message?: string }) {
  const e = props.errors;
  const labels = { personalId: 'Số định danh cá nhân', fullName: 'Họ và tên', email: 'Thư điện tử', phone: 'Số điện thoại', password: 'Mật khẩu', passwordConfirmation: 'Nhập lại mật khẩu' };
  return (
    <Layout ctx={props.ctx} title="Đăng ký tài khoản công dân">
      <h1>Đăng ký tài khoản công dân</h1>
      <ErrorSummary errors={e} labels={labels} />
      <PageMessages message={props.message} />
      <form method="post" action="/dang-ky" novalidate>
        <CsrfField ctx={props.ctx} />
        <TextField name="personalId" label={labels.personalId} hint="12 chữ số trên thẻ căn cước" inputMode="numeric" autocomplete="username" value={props.form.personalId} error={e.personalId} required maxLength={12} />
        <TextField name="fullName" label={labels.fullName} autocomplete="name" value={props.form.fullName} error={e.fullName} required maxLength={200} />
        <p class="hint">Nhập ít nhất một trong hai: thư điện tử hoặc số điện thoại, để nhận liên kết kích hoạt tài khoản.</p>
        <TextField name="email" label={labels.email} type="email" autocomplete="email" value={props.form.email} error={e.email} maxLength={200} />
        <TextField name="phone" label={labels.phone} type="tel" hint="10 chữ số, ví dụ 0912345678" autocomplete="tel" value={props.form.phone} error={e.phone} maxLength={10} />
        <TextField name="password" label={labels.password} type="password" hint="Từ 10 ký tự, gồm ít nhất 3 loại: chữ thường, chữ hoa, chữ số, ký tự đặc biệt" autocomplete="new-password" error={e.password} required maxLength={200} />
        <TextField name="passwordConfirmation" label={labels.passwordConfirmation} type="password" autocomplete="new-password" error={e.passwordConfirmation} required maxLength={200} />
        <button type="submit" class="button">
          Đăng ký
        </button>
      </form>
    </Layout>
  );
}


/** What every registration is answered: the same page whether or not the number already had an account. */
export function RegistrationSentPage(props: { ctx: PageContext }) {
  return (
    <Layout ctx={props.ctx} title="Kiểm tra thư hoặc tin nhắn">
      <h1>Kiểm tra thư điện tử hoặc tin nhắn</h1>
      <div class="notice" role="status">
        <p>{REGISTRATION_SENT_VI}</p>
      </div>
      <p>
        Không nhận được? Kiểm tra lại thư rác, hoặc <a href="/dang-ky">đăng ký lại</a> sau vài phút. Công dân có tài khoản định danh điện tử VNeID có thể <a href="/dang-nhap">đăng nhập bằng VNeID</a> mà không cần
        đăng ký.
      </p>
    </Layout>
  );
}

/** The activation link's page: a button, so that a link opened by a mail scanner activates nothing. */
export function ActivationPage(props: { ctx: PageContext; token: string; message?: string }) {
  return (
    <Layout ctx={props.ctx} title="Kích hoạt tài khoản">
      <h1>Kích hoạt tài khoản</h1>
      <PageMessages message={props.message} />
      {props.token ? (
        <form method="post" action="/dang-ky/kich-hoat">
          <CsrfField ctx={props.ctx} />
          <input type="hidden" name="ma" value={props.token} />
          <p>Bấm nút dưới đây để kích hoạt tài khoản dịch vụ công của bạn.</p>
          <button type="submit" class="button">
            Kích hoạt tài khoản
          </button>
        </form>
      ) : (
        <p>
          <a href="/dang-ky">Đăng ký lại</a>
        </p>
      )}
    </Layout>
  );
}
