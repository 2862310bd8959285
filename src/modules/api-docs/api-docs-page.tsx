import { Layout } from '../../web/layout.tsx';
import type { PageContext } from '../../web/page-context.ts';
import { type ApiOperation, type ApiReference, asObject, type JsonSchema, type SchemaShown, schemaSummary } from './openapi-document.ts';

const TAG_VI: Readonly<Record<string, string>> = {
  auth: 'Đăng nhập',
  directory: 'Đơn vị hành chính, cơ quan, cán bộ',
  procedures: 'Thủ tục hành chính',
  dossiers: 'Hồ sơ',
  payments: 'Thanh toán',
  audit: 'Nhật ký',
  calendar: 'Lịch làm việc',
  numbering: 'Dãy số',
  outbox: 'Hộp thư đi',
  kernel: 'Quy tắc xử lý',
};
const IN_VI: Readonly<Record<string, string>> = { query: 'truy vấn', path: 'đường dẫn', header: 'tiêu đề HTTP', cookie: 'cookie' };
// Deeper than any schema of ours; a guard against a self-referencing document, not a limit readers meet.
const MAX_DEPTH = 10;

const description = (s: JsonSchema) => (typeof s.description === 'string' ? ` — ${s.description}` : '');

/** The nested parts of a schema: an object's properties, an array's items, the shapes of a union. */
function SchemaParts(props: { schema: JsonSchema; depth: number }) {
  const s = props.schema;
  if (props.depth >= MAX_DEPTH) return null;
  const variants = (Array.isArray(s.anyOf) ? s.anyOf : []).map(asObject).filter((v) => v.type === 'object' || v.type === 'array');
  if (variants.length === 1 && variants[0]) return <SchemaParts schema={variants[0]} depth={props.depth + 1} />;
  if (variants.length > 1) {
    return (
      <ul class="api-schema">
        {variants.map((v, i) => (
          <li key={String(i)}>
            Dạng {i + 1}: <SchemaLine schema={v} depth={props.depth + 1} />
          </li>
        ))}
      </ul>
    );
  }
  if (s.type === 'array') {
    const items = asObject(s.items);
    return (
      <ul class="api-schema">
        <li>
          mỗi phần tử: <SchemaLine schema={items} depth={props.depth + 1} />
        </li>
      </ul>
    );
  }
  const properties = Object.entries(asObject(s.properties));
  const required = Array.isArray(s.required) ? s.required : [];
  const extra = s.additionalProperties !== undefined && typeof s.additionalProperties === 'object' ? asObject(s.additionalProperties) : null;
  if (properties.length === 0 && !extra) return null;
  return (
    <ul class="api-schema">
      {properties.map(([name, p]) => (
        <li key={name}>
          <code>{name}</code>
          {required.includes(name) ? ' (bắt buộc)' : ''}: <SchemaLine schema={asObject(p)} depth={props.depth + 1} />
        </li>
      ))}
      {extra ? (
        <li>
          mỗi khóa: <SchemaLine schema={extra} depth={props.depth + 1} />
        </li>
      ) : null}
    </ul>
  );
}

/** A body or response schema: in full where it first appears, else its summary and a link to it. */
function ShownSchema({ shown }: { shown: SchemaShown }) {
  if (!shown.schema) return null;
  if (shown.sameAs) {
    return (
      <>
        {schemaSummary(shown.schema)}, như <a href={`#${shown.sameAs.anchor}`}>{shown.sameAs.label}</a>
      </>
    );
  }
  return <SchemaLine schema={shown.schema} depth={0} />;
}

/** What a schema accepts, on one line, then its parts. */
function SchemaLine(props: { schema: JsonSchema; depth: number }) {
  return (
    <>
      {schemaSummary(props.schema)}
      {description(props.schema)}
      <SchemaParts schema={props.schema} depth={props.depth} />
    </>
  );
}

function Operation({ op }: { op: ApiOperation }) {
  return (
    <section aria-labelledby={op.id} class="api-operation">
      <h3 id={op.id}>
        <span class="api-method">{op.method}</span> <code>{op.path}</code>
      </h3>
      {op.summary ? <p>{op.summary}</p> : null}
      {op.parameters.length > 0 ? (
        <>
          <h4>Tham số</h4>
          <ul class="api-schema">
            {op.parameters.map((p) => (
              <li key={`${p.in}-${p.name}`}>
                <code>{p.name}</code> ({IN_VI[p.in] ?? p.in}
                {p.required ? ', bắt buộc' : ''}): <SchemaLine schema={p.schema} depth={0} />
                {p.description ? ` — ${p.description}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {op.body ? (
        <>
          <h4>
            Nội dung gửi (<code>{op.body.mediaType}</code>
            {op.body.required ? ', bắt buộc' : ''})
          </h4>
          {op.body.schema ? (
            <div class="api-schema-root" id={op.body.anchor}>
              <ShownSchema shown={op.body} />
            </div>
          ) : null}
        </>
      ) : null}
      <h4>Kết quả</h4>
      <ul class="api-schema">
        {op.responses.map((r) => (
          <li key={r.status} id={r.anchor}>
            <strong>{r.status}</strong>
            {/* The generator copies a schema's description to its response's, and fills in "Default Response". */}
            {r.description && r.description !== 'Default Response' && r.description !== r.schema?.description ? ` — ${r.description}` : ''}
            {r.schema ? (
              <>
                : <ShownSchema shown={r} />
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The API reference, server-rendered from the same OpenAPI document as /api/docs/json: every operation with its
 * parameters, request body and responses, in plain accessible HTML that reads at 360 px.
 */
export function ApiDocsPage(props: { ctx: PageContext; reference: ApiReference }) {
  const tags = [...new Set(props.reference.operations.map((o) => o.tag))];
  const ofTag = (tag: string) => props.reference.operations.filter((o) => o.tag === tag);
  return (
    <Layout ctx={props.ctx} title="Tài liệu API">
      <h1>Tài liệu API</h1>
      <p>
        {props.reference.title}, phiên bản {props.reference.version}, theo OpenAPI 3.1. Trang này và bản cho máy đọc <a href="/api/docs/json">/api/docs/json</a> được sinh từ chính các lược đồ dùng để kiểm tra yêu cầu.
      </p>
      <h2>Cách dùng</h2>
      <ul>
        <li>Dữ liệu gửi và nhận là JSON; ngày viết YYYY-MM-DD, thời điểm theo ISO 8601.</li>
        <li>
          Đăng nhập bằng <code>POST /api/v1/auth/login</code>: máy chủ đặt cookie phiên và trả <code>csrfToken</code>; mọi yêu cầu thay đổi dữ liệu (POST, PUT, PATCH, DELETE) gửi kèm tiêu đề <code>x-csrf-token</code>.
        </li>
        <li>
          Lỗi trả về <code>application/problem+json</code> (RFC 9457), liệt kê cùng lúc mọi lỗi của từng trường, kèm thông điệp tiếng Việt (<code>message</code>) và tiếng Anh (<code>messageEn</code>).
        </li>
        <li>
          Cập nhật có thể xung đột gửi <code>If-Match</code> với <code>ETag</code> (phiên bản bản ghi): phiên bản cũ trả 409, thiếu trả 428.
        </li>
      </ul>
      <nav aria-labelledby="muc-luc">
        <h2 id="muc-luc">Mục lục</h2>
        <ul>
          {tags.map((tag) => (
            <li key={tag}>
              <a href={`#nhom-${tag}`}>{TAG_VI[tag] ?? tag}</a> ({ofTag(tag).length})
            </li>
          ))}
        </ul>
      </nav>
      {tags.map((tag) => (
        <section key={tag} aria-labelledby={`nhom-${tag}`}>
          <h2 id={`nhom-${tag}`}>{TAG_VI[tag] ?? tag}</h2>
          <ul class="api-index">
            {ofTag(tag).map((op) => (
              <li key={op.id}>
                <a href={`#${op.id}`}>
                  <code>
                    {op.method} {op.path}
                  </code>
                </a>
                {op.summary ? ` — ${op.summary}` : ''}
              </li>
            ))}
          </ul>
          {ofTag(tag).map((op) => (
            <Operation key={op.id} op={op} />
          ))}
        </section>
      ))}
    </Layout>
  );
}
