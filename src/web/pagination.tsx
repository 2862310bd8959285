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

/**
 * Links to the pages before and after, by key (see platform/db/keyset.ts). `start` is the position of the page's
 * first row, carried in the links only to say "rows 51–100": the rows themselves come from the cursor.
 */
export function KeysetPagination(props: { previousCursor: string | null; nextCursor: string | null; start: number; limit: number; href: (page: { after?: string; before?: string; start: number }) => string }) {
  const { previousCursor, nextCursor, start, limit } = props;
  if (!previousCursor && !nextCursor) return null;
  return (
    <nav class="pagination" aria-label="Phân trang">
      {previousCursor ? <a href={props.href({ before: previousCursor, start: Math.max(0, start - limit) })}>Trang trước</a> : null}
      {nextCursor ? <a href={props.href({ after: nextCursor, start: start + limit })}>Trang sau</a> : null}
      <span>Trang {Math.floor(start / limit) + 1}</span>
    </nav>
  );
}

/** The `start` a keyset page link carries, or 0 when it is missing or not a sensible position. */
export function pageStart(query: unknown): number {
  const raw = (query as { start?: unknown } | null)?.start;
  return typeof raw === 'string' && /^\d{1,7}$/.test(raw) ? Number(raw) : 0;
}
