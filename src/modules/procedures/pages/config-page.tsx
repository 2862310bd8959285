import { ErrorSummary, type FormErrors, PageMessages, SelectField, TextField } from '../../../web/form.tsx';
import { CsrfField, Layout } from '../../../web/layout.tsx';
import type { PageContext } from '../../../web/page-context.ts';
import { FORM_FIELD_KINDS, formFieldKindLabelsVi, PREFILL_FACTS, prefillFactLabelsVi } from '../eform.ts';

/** One row of either editor, as strings: what the administrator typed is shown again after an error. */
export type Row = Record<string, string | string[]>;

const TYPES = [
  ['application/pdf', 'PDF'],
  ['image/jpeg', 'JPG'],
  ['image/png', 'PNG'],
] as const;
const ROLES = [
  { value: 'specialist', label: 'Chuyên viên' },
  { value: 'department_leader', label: 'Lãnh đạo phòng' },
  { value: 'agency_leader', label: 'Lãnh đạo cơ quan' },
];
const KINDS = FORM_FIELD_KINDS.map((k) => ({ value: k, label: formFieldKindLabelsVi[k] }));
const FACTS = PREFILL_FACTS.map((f) => ({ value: f, label: prefillFactLabelsVi[f] }));
const text = (v: string | string[] | undefined) => (typeof v === 'string' ? v : '');

/** Paper requirements and processing steps of a procedure's version in force, edited by the administrator. */
export function ProcedureConfigPage(props: {
  ctx: PageContext;
  procedure: { code: string; name: string; versionNo: number };
  /** The version the forms were loaded with: a save over a newer one is refused as stale. */
  editedVersionNo: number;
  papers: { custom: boolean; rows: readonly Row[] };
  workflow: { custom: boolean; rows: readonly Row[] };
  formFields: readonly Row[];
  units: readonly { id: string; name: string }[];
  errors: FormErrors;
  notice?: string | undefined;
  message?: string | undefined;
}) {
  const base = `/quan-tri/thu-tuc/${props.procedure.code}/cau-hinh`;
  const e = props.errors;
  return (
    <Layout ctx={props.ctx} title={`Cấu hình thủ tục ${props.procedure.code}`}>
      <p>
        <a href={`/thu-tuc/${props.procedure.code}`}>← {props.procedure.name}</a>
      </p>
      <h1>Giấy tờ, biểu mẫu và quy trình xử lý</h1>
      <p>
        Thủ tục {props.procedure.code}, phiên bản {props.procedure.versionNo} đang hiệu lực. Mỗi lần lưu tạo một phiên bản mới; hồ sơ đã nhận giữ giấy tờ, biểu mẫu và quy trình của phiên bản khi nhận.
      </p>
      <PageMessages notice={props.notice} message={props.message} />
      <ErrorSummary errors={e} labels={{ requirements: 'Giấy tờ', steps: 'Quy trình', fields: 'Biểu mẫu' }} />
      <section aria-labelledby="giay-to">
        <h2 id="giay-to">Giấy tờ phải nộp</h2>
        <p class="hint">{props.papers.custom ? 'Đã được cấu hình.' : 'Đang dùng danh sách suy ra từ thành phần hồ sơ công bố; lưu để cấu hình riêng.'} Để trống tên để bỏ một dòng.</p>
        <form method="post" action={`${base}/giay-to`} novalidate>
          <CsrfField ctx={props.ctx} />
          <input type="hidden" name="versionNo" value={String(props.editedVersionNo)} />
          {props.papers.rows.map((r, i) => {
            const p = `requirements.${i}`;
            const types = Array.isArray(r.mediaTypes) ? r.mediaTypes : [text(r.mediaTypes)];
            return (
              <fieldset key={p} class="papers">
                <legend>Giấy tờ {i + 1}</legend>
                <TextField name={`${p}.name`} label="Tên giấy tờ" value={text(r.name)} error={e[`${p}.name`]} maxLength={500} />
                <div class="field">
                  <input type="checkbox" id={`f-${p.replace('.', '-')}-required`} name={`${p}.required`} value="1" checked={text(r.required) === '1'} />{' '}
                  <label class="checkbox-label" for={`f-${p.replace('.', '-')}-required`}>
                    Bắt buộc
                  </label>
                </div>
                <fieldset class={e[`${p}.mediaTypes`] ? 'field field-error' : 'field'}>
                  <legend>Định dạng nhận</legend>
                  {e[`${p}.mediaTypes`] ? <p class="error-message">{e[`${p}.mediaTypes`]}</p> : null}
                  {TYPES.map(([value, label]) => (
                    <span key={value}>
                      <input type="checkbox" id={`f-${p.replace('.', '-')}-${label}`} name={`${p}.mediaTypes`} value={value} checked={types.includes(value)} />{' '}
                      <label class="checkbox-label" for={`f-${p.replace('.', '-')}-${label}`}>
                        {label}
                      </label>{' '}
                    </span>
                  ))}
                </fieldset>
                <TextField name={`${p}.maxMb`} label="Dung lượng tối đa mỗi tệp (MB)" inputMode="numeric" value={text(r.maxMb)} error={e[`${p}.maxBytes`]} maxLength={4} />
                <TextField name={`${p}.hint`} label="Khi nào cần nộp (hướng dẫn, không bắt buộc)" value={text(r.hint)} error={e[`${p}.hint`]} maxLength={500} />
                <TextField name={`${p}.order`} label="Thứ tự" inputMode="numeric" value={String(i + 1)} maxLength={3} />
              </fieldset>
            );
          })}
          <button type="submit" class="button">
            Lưu danh sách giấy tờ
          </button>
        </form>
      </section>
      <section aria-labelledby="bieu-mau">
        <h2 id="bieu-mau">Biểu mẫu điện tử (tờ khai)</h2>
        <p class="hint">
          Các câu hỏi của tờ khai, thêm vào phần chung (địa chỉ, điện thoại, thư điện tử, nội dung yêu cầu, cách nhận kết quả). Các trường cùng phần được hiển thị chung một khung. Trường có "Tự động điền từ" được điền sẵn từ tài khoản hoặc hồ sơ trước của người nộp. Đổi số ở ô "Thứ tự" để chuyển chỗ một trường; để trống mã để bỏ một trường.
        </p>
        <form method="post" action={`${base}/bieu-mau`} novalidate>
          <CsrfField ctx={props.ctx} />
          <input type="hidden" name="versionNo" value={String(props.editedVersionNo)} />
          {props.formFields.map((r, i) => {
            const p = `fields.${i}`;
            const id = `f-fields-${i}-required`;
            return (
              <fieldset key={p} class="papers">
                <legend>Trường {i + 1}</legend>
                <TextField name={`${p}.key`} label="Mã trường (chữ thường không dấu, ví dụ ngay_sinh)" value={text(r.key)} error={e[`${p}.key`]} maxLength={40} />
                <TextField name={`${p}.label`} label="Câu hỏi (nhãn hiển thị)" value={text(r.label)} error={e[`${p}.label`]} maxLength={200} />
                <SelectField name={`${p}.kind`} label="Kiểu" value={text(r.kind) || 'text'} options={KINDS} error={e[`${p}.kind`]} />
                <div class="field">
                  <input type="checkbox" id={id} name={`${p}.required`} value="1" checked={text(r.required) === '1'} />{' '}
                  <label class="checkbox-label" for={id}>
                    Bắt buộc
                  </label>
                </div>
                <TextField name={`${p}.options`} label="Các lựa chọn (kiểu danh sách), cách nhau bằng dấu ;" value={text(r.options)} error={e[`${p}.options`]} maxLength={4000} />
                <TextField name={`${p}.help`} label="Hướng dẫn trả lời" value={text(r.help)} error={e[`${p}.help`]} maxLength={500} />
                <TextField name={`${p}.group`} label="Phần của tờ khai (ví dụ: Người được khai sinh)" value={text(r.group)} error={e[`${p}.group`]} maxLength={200} />
                <SelectField name={`${p}.prefill`} label="Tự động điền từ" value={text(r.prefill)} options={FACTS} placeholder="Không tự động điền" error={e[`${p}.prefill`]} />
                <TextField name={`${p}.source`} label="Nguồn câu hỏi (mẫu tờ khai, mục)" value={text(r.source)} error={e[`${p}.source`]} maxLength={500} />
                <TextField name={`${p}.order`} label="Thứ tự" inputMode="numeric" value={String(i + 1)} maxLength={3} />
              </fieldset>
            );
          })}
          <button type="submit" class="button">
            Lưu biểu mẫu
          </button>
        </form>
      </section>
      <section aria-labelledby="quy-trinh">
        <h2 id="quy-trinh">Quy trình xử lý</h2>
        <p class="hint">
          {props.workflow.custom ? 'Đã được cấu hình.' : 'Đang dùng quy trình mặc định (chuyên viên thẩm định, lãnh đạo phê duyệt).'} Tổng tỷ lệ thời gian các bước là 100 %. Chọn cơ quan khác cho bước liên thông. Để trống tên để bỏ một bước.
        </p>
        {e.steps ? (
          <p class="error-message" id="f-steps-error">
            {e.steps}
          </p>
        ) : null}
        <form method="post" action={`${base}/quy-trinh`} novalidate>
          <CsrfField ctx={props.ctx} />
          <input type="hidden" name="versionNo" value={String(props.editedVersionNo)} />
          {props.workflow.rows.map((r, i) => {
            const p = `steps.${i}`;
            return (
              <fieldset key={p} class="papers">
                <legend>Bước {i + 1}</legend>
                <TextField name={`${p}.name`} label="Tên bước" value={text(r.name)} error={e[`${p}.name`]} maxLength={200} />
                <SelectField name={`${p}.role`} label="Người xử lý" value={text(r.role) || 'specialist'} options={ROLES} error={e[`${p}.role`]} />
                <SelectField name={`${p}.orgUnitId`} label="Cơ quan xử lý" value={text(r.orgUnitId)} options={props.units.map((u) => ({ value: u.id, label: u.name }))} placeholder="Cơ quan giải quyết hồ sơ" error={e[`${p}.orgUnitId`]} />
                <TextField name={`${p}.budgetPercent`} label="Tỷ lệ thời gian (%)" inputMode="numeric" value={text(r.budgetPercent)} error={e[`${p}.budgetPercent`]} maxLength={3} />
              </fieldset>
            );
          })}
          <button type="submit" class="button">
            Lưu quy trình
          </button>
        </form>
      </section>
    </Layout>
  );
}
