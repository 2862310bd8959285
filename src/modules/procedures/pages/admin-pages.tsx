import { ErrorSummary, type FormErrors, TextField } from '../../../web/form.tsx';
import { formatDateTime } from '../../../web/format.ts';
import { CsrfField, Layout } from '../../../web/layout.tsx';
import type { PageContext } from '../../../web/page-context.ts';
import type { ImportSummary } from '../import-procedures.ts';

export interface ImportRunView {
  readonly id: string;
  readonly fileName: string;
  readonly finishedAt: Date;
  readonly accepted: number;
  readonly unchanged: number;
  readonly rejected: number;
  readonly actorLabel: string;
}

export function ImportSummaryView({ summary }: { summary: ImportSummary }) {
  return (
    <section aria-labelledby="ket-qua-nhap" class="notice">
      <h2 id="ket-qua-nhap">Kết quả nhập</h2>
      <p>
        {summary.total} dòng: {summary.created} thủ tục mới, {summary.newVersions} phiên bản mới, {summary.unchanged} không đổi, {summary.rejects.length} bị từ chối.
      </p>
      {summary.rejects.length > 0 ? (
        <ul>
          {summary.rejects.slice(0, 200).map((r) => (
            <li key={r.row}>
              Dòng {r.row}
              {r.code ? ` (mã ${r.code})` : ''}: {r.reasons.join('; ')}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

export function CatalogueAdminPage(props: {
  ctx: PageContext;
  runs: readonly ImportRunView[];
  units: readonly { id: string; name: string; procedures: number }[];
  summary: ImportSummary | null;
  errors: FormErrors;
  canImport: boolean;
}) {
  return (
    <Layout ctx={props.ctx} title="Danh mục thủ tục">
      <h1>Quản trị danh mục thủ tục hành chính</h1>
      {props.summary ? <ImportSummaryView summary={props.summary} /> : null}
      {props.canImport ? (
        <>
          <h2>Nhập danh mục</h2>
          <p>Tệp CSV theo mẫu danh mục quốc gia, hoặc tệp JSON chi tiết. Thủ tục có nội dung thay đổi sẽ thành phiên bản mới; phiên bản cũ vẫn tra cứu được.</p>
          <ErrorSummary errors={props.errors} labels={{ file: 'Tệp danh mục' }} />
          <form method="post" action="/quan-tri/thu-tuc/nhap" enctype="multipart/form-data">
            <CsrfField ctx={props.ctx} />
            <div class={props.errors.file ? 'field field-error' : 'field'}>
              <label for="f-file">Tệp danh mục (.csv hoặc .json, tối đa 10 MB)</label>
              {props.errors.file ? (
                <p class="error-message" id="f-file-error">
                  {props.errors.file}
                </p>
              ) : null}
              <input id="f-file" name="file" type="file" accept=".csv,.json" aria-describedby={props.errors.file ? 'f-file-error' : undefined} />
            </div>
            <button type="submit" class="button">
              Nhập
            </button>
          </form>
          <h2>Các lần nhập gần đây</h2>
          <ul>
            {props.runs.map((r) => (
              <li key={r.id}>
                {formatDateTime(r.finishedAt)} – {r.fileName} ({r.actorLabel}): {r.accepted} nhận, {r.unchanged} không đổi, {r.rejected} từ chối
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>Thủ tục theo đơn vị</h2>
      <ul>
        {props.units.map((u) => (
          <li key={u.id}>
            <a href={`/quan-tri/thu-tuc/don-vi/${u.id}`}>{u.name}</a> ({u.procedures} thủ tục)
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export function AssignmentPage(props: {
  ctx: PageContext;
  unit: { id: string; name: string };
  items: readonly { nationalCode: string; name: string }[];
  code: string;
  errors: FormErrors;
}) {
  const base = `/quan-tri/thu-tuc/don-vi/${props.unit.id}`;
  return (
    <Layout ctx={props.ctx} title={`Thủ tục của ${props.unit.name}`}>
      <p>
        <a href="/quan-tri/thu-tuc">← Danh mục thủ tục</a>
      </p>
      <h1>Thủ tục do {props.unit.name} giải quyết</h1>
      <ErrorSummary errors={props.errors} labels={{ nationalCode: 'Mã thủ tục' }} />
      <form method="post" action={`${base}/them`}>
        <CsrfField ctx={props.ctx} />
        <TextField name="nationalCode" label="Thêm thủ tục theo mã" hint="Ví dụ: 1.001193" value={props.code} error={props.errors.nationalCode} required maxLength={20} />
        <button type="submit" class="button">
          Thêm
        </button>
      </form>
      <h2>{props.items.length} thủ tục</h2>
      <ul class="result-list">
        {props.items.map((p) => (
          <li key={p.nationalCode}>
            <a href={`/thu-tuc/${p.nationalCode}`}>{p.name}</a> <span class="meta">({p.nationalCode})</span>
            <form method="post" action={`${base}/xoa`} class="inline-form">
              <CsrfField ctx={props.ctx} />
              <input type="hidden" name="nationalCode" value={p.nationalCode} />{' '}
              <button type="submit" class="link-button">
                Bỏ<span class="visually-hidden"> thủ tục {p.nationalCode}</span>
              </button>
            </form>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
