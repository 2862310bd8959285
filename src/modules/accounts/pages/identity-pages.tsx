import { ErrorSummary, type FormErrors, type Option, PageMessages, SelectField, TextField } from '../../../web/form.tsx';
import { formatDate, formatDateTime } from '../../../web/format.ts';
import { CsrfField, Layout } from '../../../web/layout.tsx';
import type { PageContext } from '../../../web/page-context.ts';

export interface AccountIdentity {
  readonly fullName: string;
  readonly personalId: string | null;
  readonly verifiedAt: Date | null;
  readonly method: 'vneid' | 'counter' | null;
}

const methodVi = { vneid: 'qua VNeID (mức 2)', counter: 'tại bộ phận một cửa' } as const;

/** A citizen's account: whether their identity is verified, and the two ways to have it verified. */
export function AccountPage(props: { ctx: PageContext; account: AccountIdentity; vneid: boolean; code?: { code: string; expiresAt: Date } | undefined; notice?: string | undefined; message?: string | undefined }) {
  const a = props.account;
  return (
    <Layout ctx={props.ctx} title="Tài khoản của tôi">
      <h1>Tài khoản của tôi</h1>
      <PageMessages notice={props.notice} message={props.message} />
      {props.code ? (
        <div class="notice" role="status">
          <p>
            Mã xác minh tại quầy: <strong class="code">{props.code.code}</strong>
          </p>
          <p>
            Có hiệu lực đến {formatDateTime(props.code.expiresAt)}. Mang thẻ căn cước đến bộ phận một cửa và đưa mã này cho cán bộ. Mã chỉ hiện một lần; nếu quên, hãy lấy mã mới.
          </p>
        </div>
      ) : null}
      <dl class="summary">
        <dt>Họ và tên</dt>
        <dd>{a.fullName}</dd>
        <dt>Số định danh cá nhân</dt>
        <dd>{a.personalId ?? 'Chưa khai'}</dd>
        <dt>Danh tính</dt>
        <dd>{a.verifiedAt && a.method ? `Đã xác minh ${methodVi[a.method]} ngày ${formatDate(a.verifiedAt)}` : 'Chưa xác minh'}</dd>
      </dl>
      <p>
        Ngày sinh, giới tính, dân tộc, địa chỉ và số điện thoại dùng để tự động điền tờ khai: <a href="/dich-vu-cong/thong-tin-ca-nhan">thông tin cá nhân</a>.
      </p>
      {a.verifiedAt ? (
        <p>
          Giấy tờ, kết quả và hồ sơ mà cơ quan nhà nước ghi nhận theo số định danh của bạn hiển thị trong <a href="/dich-vu-cong/ho-so">hồ sơ của tôi</a> và{' '}
          <a href="/dich-vu-cong/kho-giay-to">kho giấy tờ</a>.
        </p>
      ) : (
        <>
          <h2>Xác minh danh tính</h2>
          <p>
            Số định danh khai khi đăng ký chưa được kiểm chứng. Giấy tờ, kết quả và hồ sơ mà cơ quan ghi nhận theo số định danh này (ví dụ hồ sơ nộp trực tiếp tại bộ phận một cửa) chỉ hiển thị sau khi danh tính
            của bạn được xác minh theo một trong hai cách:
          </p>
          <ul>
            {props.vneid ? (
              <li>
                <a href="/dang-nhap/vneid">Đăng nhập bằng tài khoản định danh điện tử VNeID mức 2</a>.
              </li>
            ) : null}
            <li>Đến bộ phận một cửa với thẻ căn cước và mã xác minh lấy tại đây.</li>
          </ul>
          {a.personalId ? (
            <form method="post" action="/dich-vu-cong/tai-khoan/ma-xac-minh">
              <CsrfField ctx={props.ctx} />
              <button type="submit" class="button">
                Lấy mã xác minh tại quầy
              </button>
            </form>
          ) : null}
        </>
      )}
    </Layout>
  );
}

export const counterLabels = { orgUnitId: 'Nơi xác minh', personalId: 'Số định danh cá nhân trên thẻ', code: 'Mã xác minh công dân đưa' };

/** An officer verifies a citizen's identity at the counter: the card seen, the code from the citizen's account. */
export function CounterVerificationPage(props: { ctx: PageContext; units: readonly Option[]; form: Readonly<Record<string, string>>; errors: FormErrors; notice?: string | undefined; message?: string | undefined }) {
  const e = props.errors;
  return (
    <Layout ctx={props.ctx} title="Xác minh danh tính tại quầy">
      <h1>Xác minh danh tính tại quầy</h1>
      <PageMessages notice={props.notice} message={props.message} />
      <ErrorSummary errors={e} labels={counterLabels} />
      <p>
        Kiểm tra thẻ căn cước của người đến, rồi nhập số định danh trên thẻ và mã xác minh người đó đưa (lấy tại trang "Tài khoản của tôi"). Sau khi xác minh, tài khoản trực tuyến của họ xem được giấy tờ, kết quả
        và hồ sơ ghi nhận theo số định danh này.
      </p>
      <form method="post" action="/xac-minh-danh-tinh" novalidate>
        <CsrfField ctx={props.ctx} />
        <SelectField name="orgUnitId" label={counterLabels.orgUnitId} options={props.units} value={props.form.orgUnitId} error={e.orgUnitId} required />
        <TextField name="personalId" label={counterLabels.personalId} inputMode="numeric" autocomplete="off" value={props.form.personalId} error={e.personalId} required maxLength={12} />
        <TextField name="code" label={counterLabels.code} hint="8 ký tự, ví dụ ABCD-EF23" autocomplete="off" value={props.form.code} error={e.code} required maxLength={12} />
        <button type="submit" class="button">
          Xác minh
        </button>
      </form>
    </Layout>
  );
}
