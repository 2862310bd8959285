/** Previous/next links and "page i/n" for a list read by offset; `href` builds the link to another offset. */
export function OffsetPagination(props: { offset: number; limit: number; total: number; href: (offset: number) => string }) {
  const { offset, limit, total } = props;
  return (
    <nav class="pagination" aria-label="Phân trang">
      {offset > 0 ? <a href={props.href(Math.max(0, offset - limit))}>Trang trước</a> : null}
      {offset + limit < total ? <a href={props.href(offset + limit)}>Trang sau</a> : null}
      {total > 0 ? (
        <span>
          Trang {Math.floor(offset / limit) + 1}/{Math.ceil(total / limit)}
        </span>
      ) : null}
    </nav>
  );
}
