import { type FormErrors, TextField } from '../../../web/form.tsx';

export const DELIVERY_METHODS = [
  ['counter', 'Nhận trực tiếp tại Bộ phận Một cửa'],
  ['postal', 'Gửi qua bưu chính công ích'],
  ['online', 'Nhận bản điện tử trực tuyến (kết quả có chữ ký số)'],
] as const;

export const deliveryLabels = { resultDelivery: 'Cách nhận kết quả', deliveryAddress: 'Nơi nhận kết quả qua bưu chính' };

/** How the result is to come back, as one line. */
export function deliveryText(form: Readonly<Record<string, string>>): string {
  const method = form.resultDelivery ?? 'counter';
  const label = DELIVERY_METHODS.find(([m]) => m === method)?.[1] ?? method;
  return method === 'postal' ? `${label}: ${form.deliveryAddress || form.address || ''}` : label;
}

/** The applicant's choice of how the result comes back (at the counter, by post to an address, online). */
export function DeliveryFields(props: { form: Readonly<Record<string, string>>; errors: FormErrors }) {
  const chosen = props.form.resultDelivery ?? 'counter';
  return (
    <fieldset class={props.errors.resultDelivery ? 'field field-error form-group' : 'field form-group'} id="f-resultDelivery">
      <legend>{deliveryLabels.resultDelivery}</legend>
      {props.errors.resultDelivery ? <p class="error-message">{props.errors.resultDelivery}</p> : null}
      {DELIVERY_METHODS.map(([value, label]) => (
        <div key={value}>
          <input type="radio" id={`f-resultDelivery-${value}`} name="resultDelivery" value={value} checked={chosen === value} />{' '}
          <label for={`f-resultDelivery-${value}`} class="checkbox-label">
            {label}
          </label>
        </div>
      ))}
      <TextField name="deliveryAddress" label={deliveryLabels.deliveryAddress} hint="Chỉ khi chọn gửi qua bưu chính; bỏ trống để gửi về địa chỉ liên hệ." value={props.form.deliveryAddress} error={props.errors.deliveryAddress} maxLength={300} autocomplete="street-address" />
    </fieldset>
  );
}
