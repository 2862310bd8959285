import { formatDateTime } from '../../../web/format.ts';
import type { DossierView } from '../schema.ts';

const when = (iso: string) => formatDateTime(new Date(iso));

/** Each supplement request and what came back, so the officer sees what changed since the request. */
export function SupplementList(props: { d: DossierView; base: string }) {
  if (props.d.supplements.length === 0) return null;
  return (
    <section aria-labelledby="bo-sung">
      <h2 id="bo-sung">Yêu cầu bổ sung và nội dung đã bổ sung</h2>
      <ol>
        {props.d.supplements.map((s) => (
          <li key={s.requestedAt}>
            <p>
              Yêu cầu lúc {when(s.requestedAt)} ({s.requestedBy}): {s.request ?? '—'}
            </p>
            {s.provided ? (
              <>
                <p>
                  Đã bổ sung lúc {when(s.provided.at)} ({s.provided.by}). Ghi chú của người bổ sung: {s.provided.note ?? 'không có'}.
                </p>
                {s.provided.papers.length > 0 ? (
                  <ul>
                    {s.provided.papers.map((p) => (
                      <li key={`${p.paperId ?? p.title}`}>
                        {p.change === 'replaced' ? 'Thay thế' : 'Bổ sung mới'}: {p.requirementSeq !== null ? `${p.requirementSeq}. ` : ''}
                        {p.paperId ? <a href={`${props.base}/giay-to/${p.paperId}`}>{p.title}</a> : p.title}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p>Không kèm giấy tờ.</p>
                )}
              </>
            ) : (
              <p>Chưa bổ sung.</p>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
