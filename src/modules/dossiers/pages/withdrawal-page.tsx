import { ErrorSummary, type FormErrors } from '../../../web/form.tsx';
import { CsrfField, Layout } from '../../../web/layout.tsx';
import type { PageContext } from '../../../web/page-context.ts';
import type { DossierView } from '../schema.ts';

/**
 * The applicant confirms a withdrawal: what it means (processing stops, a stop notice is issued), what happens to a
 * fee already paid (the rule of the dossier's pinned set, with its basis), and the reason, which is required.
 */
export function WithdrawalPage(props: { ctx: PageContext; d: DossierView; actionBase: string; form: Record<string, string>; errors: FormErrors; message?: string | undefined }) {
  const { d } = props;
  const w = d.withdrawal;
  const error = props.errors.reason;
  return (
    <Layout ctx={props.ctx} title={`Rút hồ sơ ${d.code ?? ''}`}>
      <p>
        <a href={props.actionBase}>← Quay lại hồ sơ</a>
      </p>
      <h1>Rút hồ sơ {d.code}</h1>
      <ErrorSummary errors={props.errors} labels={{ reason: 'Lý do rút hồ sơ' }} />
      {props.message && !error ? (
        <div class="error-summary" role="alert">
          <p>{props.message}</p>
        </div>
      ) : null}
      <p>
        Thủ tục: {d.procedureName}. Khi rút hồ sơ, cơ quan dừng giải quyết và lập Thông báo dừng giải quyết hồ sơ (Mẫu 05). Việc rút hồ sơ không hủy được; muốn giải quyết lại, bạn phải nộp hồ sơ mới.
      </p>
      {w?.feePaid ? (
        <div class="notice">
          <p>
            <strong>Về phí, lệ phí đã nộp:</strong> {w.feeRule ?? 'Quy định áp dụng cho hồ sơ này không nêu việc hoàn trả phí, lệ phí đã nộp; vui lòng liên hệ Bộ phận Một cửa trước khi rút hồ sơ.'}
          </p>
          {w.feeRule && w.feeRuleBasis ? <p class="hint">Căn cứ: {w.feeRuleBasis}</p> : null}
        </div>
      ) : null}
      <form method="post" action={`${props.actionBase}/rut-ho-so`}>
        <CsrfField ctx={props.ctx} />
        <input type="hidden" name="rowVersion" value={String(d.rowVersion)} />
        <div class={error ? 'field field-error' : 'field'}>
          <label for="f-reason">
            Lý do rút hồ sơ<span class="required"> (bắt buộc)</span>
          </label>
          <p class="hint" id="f-reason-hint">
            Lý do được ghi trên thông báo dừng giải quyết hồ sơ.
          </p>
          {error ? (
            <p class="error-message" id="f-reason-error">
              <span class="visually-hidden">Lỗi: </span>
              {error}
            </p>
          ) : null}
          <textarea id="f-reason" name="reason" rows={3} maxLength={2000} required aria-describedby={error ? 'f-reason-hint f-reason-error' : 'f-reason-hint'} aria-invalid={error ? 'true' : undefined}>
            {props.form.reason ?? ''}
          </textarea>
        </div>
        <div class="actions">
          <button type="submit" class="button button-secondary">
            Xác nhận rút hồ sơ
          </button>{' '}
          <a href={props.actionBase}>Không rút, quay lại hồ sơ</a>
        </div>
      </form>
    </Layout>
  );
}
