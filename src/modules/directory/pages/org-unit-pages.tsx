import { ErrorSummary, PageMessages, type FormErrors, SelectField, TextField } from '../../../web/form.tsx';
import { CsrfField, Layout, TableWrap } from '../../../web/layout.tsx';
import type { PageContext } from '../../../web/page-context.ts';
import type { OrgUnitView } from '../schema.ts';

export const kindLabels: Record<string, string> = {
  people_committee: 'Ủy ban nhân dân',
  department: 'Sở, ban, ngành',
  service_centre: 'Trung tâm Phục vụ hành chính công',
  office: 'Văn phòng',
  division: 'Phòng, ban chuyên môn',
  other: 'Khác',
};
const kindOptions = Object.entries(kindLabels).map(([value, label]) => ({ value, label }));
const labels = { parentId: 'Đơn vị cấp trên', name: 'Tên đơn vị', shortName: 'Tên viết tắt', kind: 'Loại đơn vị', agencyCode: 'Mã định danh', agencyCodeNote: 'Ghi chú về mã', governingBody: 'Cơ quan chủ quản', placeName: 'Địa danh' };

function UnitFields(props: { form: Record<string, string>; errors: FormErrors }) {
  const { form, errors } = props;
  return (
    <>
      <TextField name="name" label={labels.name} value={form.name} error={errors.name} required maxLength={300} />
      <TextField name="shortName" label={labels.shortName} value={form.shortName} error={errors.shortName} maxLength={100} />
      <SelectField name="kind" label={labels.kind} value={form.kind} error={errors.kind} options={kindOptions} required />
      <TextField name="agencyCode" label={labels.agencyCode} hint="Dạng 000.00.01.H32 (QCVN 102:2016)" value={form.agencyCode} error={errors.agencyCode} maxLength={13} />
      <TextField name="agencyCodeNote" label={labels.agencyCodeNote} hint="Quyết định cấp mã, hoặc ghi chú nếu là mã tạm" value={form.agencyCodeNote} error={errors.agencyCodeNote} maxLength={300} />
      <TextField
        name="governingBody"
        label={labels.governingBody}
        hint="In ở góc trên bên trái các phiếu, trên tên đơn vị (ví dụ: UBND tỉnh Khánh Hòa). Để trống: đơn vị cấp trên; Ủy ban nhân dân không có dòng này."
        value={form.governingBody}
        error={errors.governingBody}
        maxLength={300}
      />
      <TextField name="placeName" label={labels.placeName} hint="In trên dòng “…, ngày … tháng … năm …” của các phiếu (ví dụ: Khánh Hòa). Để trống: theo đơn vị hành chính nơi đơn vị đặt trụ sở." value={form.placeName} error={errors.placeName} maxLength={100} />
    </>
  );
}

export function OrgUnitListPage(props: { ctx: PageContext; units: readonly OrgUnitView[]; form: Record<string, string>; errors: FormErrors }) {
  return (
    <Layout ctx={props.ctx} title="Đơn vị">
      <h1>Cơ cấu tổ chức</h1>
      <p>{props.units.length} đơn vị trong phạm vi quản lý của bạn.</p>
      <TableWrap label="Danh sách đơn vị">
        <table>
          <caption class="visually-hidden">Danh sách đơn vị theo cây tổ chức</caption>
          <thead>
            <tr>
              <th scope="col">Đơn vị</th>
              <th scope="col">Loại</th>
              <th scope="col">Mã định danh</th>
            </tr>
          </thead>
          <tbody>
            {props.units.map((u) => (
              <tr key={u.id}>
                <td>
                  <span class="meta">{'· '.repeat(u.depth)}</span>
                  <a href={`/quan-tri/don-vi/${u.id}`}>{u.name}</a>
                </td>
                <td>{kindLabels[u.kind] ?? u.kind}</td>
                <td>{u.agencyCode ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <h2 id="them-don-vi">Thêm đơn vị</h2>
      <ErrorSummary errors={props.errors} labels={labels} />
      <form method="post" action="/quan-tri/don-vi" novalidate>
        <CsrfField ctx={props.ctx} />
        <SelectField
          name="parentId"
          label={labels.parentId}
          value={props.form.parentId}
          error={props.errors.parentId}
          required
          placeholder="Chọn đơn vị cấp trên"
          options={props.units.map((u) => ({ value: u.id, label: `${'— '.repeat(u.depth)}${u.name}` }))}
        />
        <UnitFields form={props.form} errors={props.errors} />
        <button type="submit" class="button">
          Thêm đơn vị
        </button>
      </form>
    </Layout>
  );
}

export function OrgUnitEditPage(props: { ctx: PageContext; unit: OrgUnitView; form: Record<string, string>; errors: FormErrors; message?: string }) {
  const base = `/quan-tri/don-vi/${props.unit.id}`;
  return (
    <Layout ctx={props.ctx} title={props.unit.name}>
      <p>
        <a href="/quan-tri/don-vi">← Cơ cấu tổ chức</a>
      </p>
      <h1>{props.unit.name}</h1>
      <PageMessages message={props.message} />
      <ErrorSummary errors={props.errors} labels={labels} />
      <form method="post" action={base} novalidate>
        <CsrfField ctx={props.ctx} />
        <input type="hidden" name="rowVersion" value={props.form.rowVersion ?? String(props.unit.rowVersion)} />
        <UnitFields form={props.form} errors={props.errors} />
        <button type="submit" class="button">
          Lưu
        </button>
      </form>
      <p class="actions">
        <a href={`/quan-tri/can-bo?orgUnitId=${props.unit.id}`}>Cán bộ của đơn vị</a>
        <a href={`/quan-tri/thu-tuc/don-vi/${props.unit.id}`}>Thủ tục đơn vị giải quyết</a>
      </p>
      {props.unit.parentId ? (
        <form method="post" action={`${base}/dong`} class="actions">
          <CsrfField ctx={props.ctx} />
          <input type="hidden" name="rowVersion" value={String(props.unit.rowVersion)} />
          <button type="submit" class="button button-secondary">
            Đóng đơn vị (ngừng hoạt động từ hôm nay)
          </button>
        </form>
      ) : null}
    </Layout>
  );
}
