import type { FormErrors } from '../../../web/form.tsx';
import { MEDIA_TYPE_LABELS } from '../../../platform/files/sniff.ts';
import type { PaperRequirement } from '../../procedures/index.ts';
import type { PaperChoices } from '../paper-form.ts';

const limitText = (r: PaperRequirement) => `${r.mediaTypes.map((t) => MEDIA_TYPE_LABELS[t]).join(', ')}; mỗi tệp tối đa ${Math.round((r.maxBytes / 1024 / 1024) * 10) / 10} MB`;
const ACCEPT = '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png';

export const paperLabels = (requirements: readonly PaperRequirement[]) => Object.fromEntries(requirements.map((r) => [`papers.${r.seq}`, `Giấy tờ ${r.seq}`]));

/**
 * One block per paper the procedure asks for: what is already attached (kept across error pages, each removable),
 * a file input, and, for citizens, the digitised records they may reuse instead of uploading again.
 */
export function PaperFields(props: {
  requirements: readonly PaperRequirement[];
  choices: PaperChoices;
  records: readonly { id: string; title: string }[];
  errors: FormErrors;
  /** At the counter: the originals and copies received of each paper, as typed (printed on the receipt slip). */
  counts?: Readonly<Record<string, string>>;
  /** For a supplement: what the fieldset is called, and no paper marked required (each replaces one given). */
  supplement?: boolean;
}) {
  return (
    <fieldset class="papers">
      <legend>{props.supplement ? 'Giấy tờ bổ sung theo thành phần hồ sơ (tệp mới thay cho giấy tờ đã nộp)' : 'Giấy tờ kèm theo'}</legend>
      <p class="hint">Tải lên bản chụp hoặc bản quét rõ nét. Tệp được kiểm tra theo nội dung: chỉ nhận PDF, JPG, PNG.</p>
      {props.counts ? <p class="hint">Ghi số bản chính, bản sao đã nhận của từng giấy tờ (in trên giấy tiếp nhận); giấy tờ chỉ xuất trình thì không cần quét.</p> : null}
      {props.requirements.map((r) => {
        const id = `f-papers-${r.seq}`;
        const error = props.errors[`papers.${r.seq}`];
        const chosen = props.choices[r.seq] ?? [];
        return (
          <div key={r.seq} class={error ? 'field field-error' : 'field'}>
            <label for={id}>
              {r.seq}. {r.name}
              <span class="required">{r.required && !props.supplement ? ' (bắt buộc)' : ' (nếu có)'}</span>
            </label>
            <p class="hint" id={`${id}-hint`}>
              {r.hint ? `${r.hint} ` : ''}
              {limitText(r)}
            </p>
            {error ? (
              <p class="error-message" id={`${id}-error`}>
                {error}
              </p>
            ) : null}
            {chosen.length > 0 ? (
              <ul class="chosen-files">
                {chosen.map((c) => (
                  <li key={c.token}>
                    {c.label}{' '}
                    <label class="checkbox-label">
                      <input type="checkbox" name="drop" value={c.token} /> Bỏ tệp này
                    </label>
                  </li>
                ))}
              </ul>
            ) : null}
            <input type="hidden" name={`paper_${r.seq}`} value={chosen.map((c) => c.token).join(',')} />
            <input type="file" id={id} name={`upload_${r.seq}`} multiple accept={ACCEPT} aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`} aria-invalid={error ? 'true' : undefined} />
            {props.counts ? <PaperCounts requirement={r} form={props.counts} errors={props.errors} /> : null}
            {props.records.length > 0 ? (
              <>
                <label for={`f-record-${r.seq}`} class="secondary-label">
                  Hoặc dùng giấy tờ đã số hóa của bạn
                </label>
                <select id={`f-record-${r.seq}`} name={`record_${r.seq}`}>
                  <option value="">— Không chọn —</option>
                  {props.records.map((rec) => (
                    <option key={rec.id} value={rec.id}>
                      {rec.title}
                    </option>
                  ))}
                </select>
              </>
            ) : null}
          </div>
        );
      })}
    </fieldset>
  );
}

/** The originals and copies received of one paper (field names `received_<seq>_originals`, `…_copies`). */
function PaperCounts(props: { requirement: PaperRequirement; form: Readonly<Record<string, string>>; errors: FormErrors }) {
  const r = props.requirement;
  return (
    <div class="counts">
      {(
        [
          ['originals', 'Số bản chính'],
          ['copies', 'Số bản sao'],
        ] as const
      ).map(([kind, label]) => {
        const name = `received_${r.seq}_${kind}`;
        const error = props.errors[name];
        return (
          <div key={kind}>
            <label for={`f-${name}`}>
              {label}
              <span class="visually-hidden">: {r.name}</span>
            </label>{' '}
            {error ? (
              <span class="error-message" id={`f-${name}-error`}>
                {error}
              </span>
            ) : null}
            <input id={`f-${name}`} name={name} inputMode="numeric" maxLength={2} size={3} value={props.form[name] ?? ''} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `f-${name}-error` : undefined} />
          </div>
        );
      })}
    </div>
  );
}

/** The papers as they will be submitted, for the check-your-answers page. */
export function PaperSummary(props: { requirements: readonly PaperRequirement[]; choices: PaperChoices }) {
  return (
    <>
      {props.requirements.map((r) => (
        <div key={r.seq}>
          <dt>
            {r.seq}. {r.name}
          </dt>
          <dd>{(props.choices[r.seq] ?? []).map((c) => c.label).join('; ') || 'Không nộp'}</dd>
        </div>
      ))}
    </>
  );
}
