/**
 * The parts of the OpenAPI 3.1 document the reference page shows, read from the generated document (which is
 * `unknown` to us: it comes from the route schemas through @fastify/swagger), so the page never trusts its shape.
 */
export interface JsonSchema {
  readonly [key: string]: unknown;
}

export interface ApiParameter {
  readonly name: string;
  readonly in: string;
  readonly required: boolean;
  readonly description: string | null;
  readonly schema: JsonSchema;
}

/** A body or response schema, shown in full where it first appears and linked to from its repeats. */
export interface SchemaShown {
  readonly schema: JsonSchema | null;
  /** The anchor of this schema on the page. */
  readonly anchor: string;
  /** Where the same schema is shown in full already (a dossier's view is the answer of many operations). */
  readonly sameAs: { readonly anchor: string; readonly label: string } | null;
}

export interface ApiOperation {
  readonly id: string;
  readonly method: string;
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly parameters: readonly ApiParameter[];
  readonly body: (SchemaShown & { readonly mediaType: string; readonly required: boolean }) | null;
  readonly responses: readonly (SchemaShown & { readonly status: string; readonly description: string })[];
}

export interface ApiReference {
  readonly title: string;
  readonly version: string;
  readonly description: string;
  readonly operations: readonly ApiOperation[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export const asObject = (v: unknown): JsonSchema => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonSchema) : {});
const asString = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const asArray = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);

/** The first media type's schema of a request body or response (`application/json`, or multipart for uploads). */
function contentOf(v: unknown): { mediaType: string; schema: JsonSchema | null } | null {
  const content = asObject(asObject(v).content);
  const [mediaType] = Object.keys(content);
  if (!mediaType) return null;
  const schema = asObject(content[mediaType]).schema;
  return { mediaType, schema: schema === undefined ? null : asObject(schema) };
}

// Repeats of schemas smaller than this are shown again rather than linked: a link would be no shorter.
const LINKED_SCHEMA_CHARS = 200;

/** The operations of the document in path order, each with an id usable as an HTML anchor. */
export function readApiReference(document: unknown): ApiReference {
  const doc = asObject(document);
  const info = asObject(doc.info);
  const operations: ApiOperation[] = [];
  const shownAt = new Map<string, { anchor: string; label: string }>();
  const shown = (schema: JsonSchema | null, anchor: string, label: string): SchemaShown => {
    const key = schema ? JSON.stringify(schema) : '';
    const first = key.length >= LINKED_SCHEMA_CHARS ? shownAt.get(key) : undefined;
    if (key.length >= LINKED_SCHEMA_CHARS && !first) shownAt.set(key, { anchor, label });
    return { schema, anchor, sameAs: first ?? null };
  };
  for (const [path, item] of Object.entries(asObject(doc.paths))) {
    for (const method of METHODS) {
      const op = asObject(asObject(item)[method]);
      if (Object.keys(op).length === 0) continue;
      const body = op.requestBody === undefined ? null : contentOf(op.requestBody);
      const id = `${method}-${path}`.replace(/[^a-zA-Z0-9]+/g, '-').replace(/-+$/, '');
      const name = `${method.toUpperCase()} ${path}`;
      operations.push({
        id,
        method: method.toUpperCase(),
        path,
        summary: asString(op.summary) ?? '',
        tag: asString(asArray(op.tags)[0]) ?? 'other',
        parameters: asArray(op.parameters).map((p) => {
          const param = asObject(p);
          return { name: asString(param.name) ?? '', in: asString(param.in) ?? '', required: param.required === true, description: asString(param.description), schema: asObject(param.schema) };
        }),
        body: body ? { mediaType: body.mediaType, required: asObject(op.requestBody).required === true, ...shown(body.schema, `${id}-body`, `nội dung gửi của ${name}`) } : null,
        responses: Object.entries(asObject(op.responses)).map(([status, r]) => ({
          status,
          description: asString(asObject(r).description) ?? '',
          ...shown(contentOf(r)?.schema ?? null, `${id}-${status}`, `kết quả ${status} của ${name}`),
        })),
      });
    }
  }
  return { title: asString(info.title) ?? 'API', version: asString(info.version) ?? '', description: asString(info.description) ?? '', operations };
}

const TYPE_VI: Readonly<Record<string, string>> = { string: 'chuỗi', integer: 'số nguyên', number: 'số', boolean: 'đúng/sai', null: 'null', object: 'đối tượng', array: 'mảng' };

/** Scalar values a schema allows exactly (an enum, a const, or a union of them), or null when it is not such a list. */
function allowedValues(s: JsonSchema): unknown[] | null {
  if (Array.isArray(s.enum)) return s.enum;
  if ('const' in s) return [s.const];
  const variants = asArray(s.anyOf).map(asObject);
  if (variants.length === 0) return null;
  const lists = variants.map(allowedValues);
  return lists.every((l) => l !== null) ? lists.flat() : null;
}

/** One line saying what a schema accepts: its type and constraints, in Vietnamese (names and patterns as written). */
export function schemaSummary(s: JsonSchema): string {
  const values = allowedValues(s);
  if (values) return `một trong: ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  const variants = asArray(s.anyOf).map(asObject);
  if (variants.length > 0) return variants.map(schemaSummary).join(' hoặc ');
  const type = asString(s.type);
  const parts = [type ? (TYPE_VI[type] ?? type) : 'giá trị bất kỳ'];
  if (typeof s.format === 'string') parts.push(`định dạng ${s.format}`);
  if (typeof s.pattern === 'string') parts.push(`mẫu ${s.pattern}`);
  const range = (min: unknown, max: unknown, unit: string) => {
    if (typeof min === 'number' && typeof max === 'number') parts.push(`${min}–${max}${unit}`);
    else if (typeof min === 'number') parts.push(`tối thiểu ${min}${unit}`);
    else if (typeof max === 'number') parts.push(`tối đa ${max}${unit}`);
  };
  range(s.minLength, s.maxLength, ' ký tự');
  range(s.minimum, s.maximum, '');
  range(s.minItems, s.maxItems, ' phần tử');
  range(s.minProperties, s.maxProperties, ' khóa');
  if (s.default !== undefined) parts.push(`mặc định ${JSON.stringify(s.default)}`);
  return parts.join(', ');
}
