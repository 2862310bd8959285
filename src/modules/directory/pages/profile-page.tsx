import { type AddressChoices, AddressField } from '../../../web/address-field.tsx';
import { DateField, ErrorSummary, type FormErrors, PageMessages, SelectField, TextField } from '../../../web/form.tsx';
import { CsrfField, Layout } from '../../../web/layout.tsx';
import type { PageContext } from '../../../web/page-context.ts';
import { ETHNIC_GROUPS } from '../ethnic-groups.ts';

const labels = { dateOfBirth: 'Ngày sinh', sex: 'Giới tính', ethnicity: 'Dân tộc', 'address.commune': 'Phường, xã nơi cư trú', 'address.street': 'Số nhà, đường nơi cư trú', address: 'Nơi cư trú', phone: 'Số điện thoại', email: 'Thư điện tử' };

/** A citizen's own data, which the forms they fill in start from. */
export function ProfilePage(props: {
  ctx: PageContext;
  account: { fullName: string; personalId: string | null };
  form: Record<string, string>;
  errors: FormErrors;
  address: AddressChoices;
  notice?: string | undefined;
}) {
  const { form, errors } = props;
  return (
    <Layout ctx={props.ctx} title="Thông tin cá nhân">
      <h1>Thông tin cá nhân</h1>
      <p>Các biểu mẫu trực tuyến được điền sẵn từ những thông tin này (có ghi chú «Tự động điền từ tài khoản»); bạn vẫn sửa được trên từng biểu mẫu.</p>
      <PageMessages notice={props.notice} />
      <ErrorSummary errors={errors} labels={labels} />
      <dl class="summary">
        <dt>Họ, chữ đệm và tên</dt>
        <dd>{props.account.fullName}</dd>
        <dt>Số định danh cá nhân</dt>
        <dd>{props.account.personalId ?? '—'}</dd>
      </dl>
      <form method="post" action="/dich-vu-cong/thong-tin-ca-nhan" novalidate>
        <CsrfField ctx={props.ctx} />
        <DateField name="dateOfBirth" label={labels.dateOfBirth} value={form.dateOfBirth} error={errors.dateOfBirth} autocomplete="bday" />
        <SelectField name="sex" label={labels.sex} value={form.sex} error={errors.sex} placeholder="Chưa khai" options={[{ value: 'male', label: 'Nam' }, { value: 'female', label: 'Nữ' }]} />
        <SelectField name="ethnicity" label={labels.ethnicity} value={form.ethnicity} error={errors.ethnicity} placeholder="Chưa khai" options={ETHNIC_GROUPS.map((g) => ({ value: g, label: g }))} />
        <AddressField
          name="address"
          label={labels.address}
          hint="Nơi thường trú; nếu không có thì nơi tạm trú."
          value={{ commune: form['address.commune'], street: form['address.street'] }}
          choices={props.address}
          errors={{ field: errors.address, commune: errors['address.commune'], street: errors['address.street'] }}
        />
        <TextField name="phone" label={labels.phone} type="tel" value={form.phone} error={errors.phone} maxLength={10} autocomplete="tel" />
        <TextField name="email" label={labels.email} type="email" value={form.email} error={errors.email} maxLength={200} autocomplete="email" />
        <button type="submit" class="button">
          Lưu thông tin
        </button>
      </form>
    </Layout>
  );
}
