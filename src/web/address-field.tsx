/** One option of a place list (province or commune): its GSO code and full name. */
export interface PlaceOption {
  readonly code: string;
  readonly name: string;
}

/** The lists an address field offers: the provinces, and the communes of the province shown. */
export interface AddressChoices {
  readonly provinces: readonly PlaceOption[];
  readonly province: string;
  readonly communes: readonly PlaceOption[];
}

const fieldId = (name: string) => `f-${name.replaceAll('.', '-')}`;

/**
 * An address on the directory's administrative units: province, commune (phường, xã, đặc khu) and street, posted as
 * `<name>.province`, `<name>.commune`, `<name>.street`. Without JavaScript the commune list is the province shown; with
 * several provinces a button shows the form again with the communes of the province chosen.
 */
export function AddressField(props: {
  name: string;
  label: string;
  value: { commune?: string | undefined; street?: string | undefined };
  choices: AddressChoices;
  errors: { field?: string | undefined; commune?: string | undefined; street?: string | undefined };
  hint?: string | undefined;
  /** Said next to the label when the value was filled in automatically. */
  mark?: string | undefined;
  required?: boolean | undefined;
}) {
  const id = fieldId(props.name);
  const message = [props.errors.field, props.errors.commune, props.errors.street].filter(Boolean).join(' ');
  const describedBy = [props.hint ? `${id}-hint` : '', props.mark ? `${id}-mark` : '', message ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset class={message ? 'field field-error address' : 'field address'} id={id} aria-describedby={describedBy}>
      <legend>
        {props.label}
        {props.required ? <span class="required"> (bắt buộc)</span> : null}
      </legend>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.mark ? (
        <p class="autofill" id={`${id}-mark`}>
          {props.mark}
        </p>
      ) : null}
      {message ? (
        <p class="error-message" id={`${id}-error`}>
          <span class="visually-hidden">Lỗi: </span>
          {message}
        </p>
      ) : null}
      <label for={`${id}-province`}>Tỉnh, thành phố</label>
      <select id={`${id}-province`} name={`${props.name}.province`}>
        {props.choices.provinces.map((p) => (
          <option key={p.code} value={p.code} selected={p.code === props.choices.province}>
            {p.name}
          </option>
        ))}
      </select>
      {props.choices.provinces.length > 1 ? (
        <button type="submit" name="refresh" value={props.name} class="button button-secondary address-refresh" formnovalidate>
          Hiện danh sách phường, xã của tỉnh đã chọn
        </button>
      ) : null}
      <label for={`${id}-commune`}>Phường, xã, đặc khu</label>
      <select id={`${id}-commune`} name={`${props.name}.commune`} aria-invalid={props.errors.commune || props.errors.field ? 'true' : undefined}>
        <option value="">Chọn phường, xã</option>
        {props.choices.communes.map((c) => (
          <option key={c.code} value={c.code} selected={c.code === props.value.commune}>
            {c.name}
          </option>
        ))}
      </select>
      <label for={`${id}-street`}>Số nhà, đường, thôn, tổ dân phố</label>
      <input id={`${id}-street`} name={`${props.name}.street`} type="text" value={props.value.street ?? ''} maxLength={200} autocomplete="street-address" aria-invalid={props.errors.street ? 'true' : undefined} />
    </fieldset>
  );
}
