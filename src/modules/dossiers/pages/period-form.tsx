import { DateField, ErrorSummary, type FormErrors } from '../../../web/form.tsx';

/** The period a figures or register page covers (dd/MM/yyyy), asked by GET so the page can be bookmarked. */
export function PeriodForm(props: { action: string; period: { from: string; to: string }; errors: FormErrors }) {
  return (
    <>
      <ErrorSummary errors={props.errors} labels={{ from: 'Từ ngày', to: 'Đến ngày' }} />
      <form method="get" action={props.action} class="filters">
        <DateField name="from" label="Từ ngày" value={props.period.from} error={props.errors.from} required />
        <DateField name="to" label="Đến ngày" value={props.period.to} error={props.errors.to} required />
        <div class="actions">
          <button type="submit" class="button">
            Xem
          </button>
        </div>
      </form>
    </>
  );
}
