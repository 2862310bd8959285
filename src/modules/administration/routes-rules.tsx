import { Type } from 'typebox';
import { listRuleSets } from '../../platform/rules/rule-sets.ts';
import type { Db } from '../../platform/db/database.ts';
import { requirePermission } from '../../platform/http/request-context.ts';
import { pageContext, sendPage } from '../../web/pages.tsx';
import type { App } from '../../platform/http/server.ts';
import { formatIsoDate } from '../../web/format.ts';
import { Layout, TableWrap } from '../../web/layout.tsx';
import type { PageContext } from '../../web/page-context.ts';

const RuleSetView = Type.Object({
  id: Type.String(),
  recordType: Type.String(),
  name: Type.String(),
  legalBasis: Type.String(),
  validFrom: Type.String({ format: 'date' }),
  validTo: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  rules: Type.Record(Type.String(), Type.Unknown()),
  basis: Type.Record(Type.String(), Type.String()),
});
type RuleSetView = Type.Static<typeof RuleSetView>;
const RuleSetQuery = Type.Object({ recordType: Type.Optional(Type.String({ pattern: '^[a-z_]{1,40}$', description: 'dossier (default)' })) });

const recordTypesVi: Record<string, string> = { dossier: 'Hồ sơ thủ tục hành chính' };

async function ruleSets(db: Db, recordType: string): Promise<RuleSetView[]> {
  const rows = await listRuleSets(db, recordType);
  return rows.map((r) => ({ id: r.id, recordType: r.record_type, name: r.name, legalBasis: r.legal_basis, validFrom: r.valid_from, validTo: r.valid_to, rules: r.rules as Record<string, unknown>, basis: r.basis }));
}

function RuleSetsPage(props: { ctx: PageContext; sets: readonly RuleSetView[] }) {
  return (
    <Layout ctx={props.ctx} title="Bộ quy tắc xử lý">
      <h1>Bộ quy tắc xử lý: {recordTypesVi.dossier}</h1>
      <p>
        Mỗi hồ sơ được xử lý theo bộ quy tắc có hiệu lực khi hồ sơ được tạo; quy tắc mới áp dụng từ ngày hiệu lực cho hồ sơ mới, hồ sơ đang xử lý giữ
        quy tắc của mình.
      </p>
      {props.sets.map((s) => (
        <section key={s.id} aria-labelledby={`rs-${s.id}`}>
          <h2 id={`rs-${s.id}`}>{s.name}</h2>
          <p>
            Hiệu lực từ {formatIsoDate(s.validFrom)}
            {s.validTo ? ` đến trước ${formatIsoDate(s.validTo)}` : ' (đang áp dụng)'}. Căn cứ: {s.legalBasis}.
          </p>
          <TableWrap label={`Quy tắc của ${s.name}`}>
            <table>
              <caption class="visually-hidden">Các quy tắc và căn cứ</caption>
              <thead>
                <tr>
                  <th scope="col">Quy tắc</th>
                  <th scope="col">Giá trị</th>
                  <th scope="col">Căn cứ</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(s.rules).map(([k, v]) => (
                  <tr key={k}>
                    <td>
                      <code>{k}</code>
                    </td>
                    <td>{String(v)}</td>
                    <td>{s.basis[k] ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </section>
      ))}
    </Layout>
  );
}

/** The one-stop rule sets and their legal basis, for administrators (page and API). */
export function ruleSetRoutes(deps: { db: Db }) {
  return (app: App) => {
    app.get('/quan-tri/quy-tac', { schema: { hide: true } }, async (request, reply) => {
      requirePermission(request, 'rules.read');
      return sendPage(reply, <RuleSetsPage ctx={pageContext(request)} sets={await ruleSets(deps.db, 'dossier')} />);
    });
    app.get('/api/v1/rule-sets', { schema: { tags: ['kernel'], summary: 'Rule sets of a record type, newest first, with the legal basis of each rule', querystring: RuleSetQuery, response: { 200: Type.Array(RuleSetView) } } }, async (request) => {
      requirePermission(request, 'rules.read');
      return ruleSets(deps.db, request.query.recordType ?? 'dossier');
    });
  };
}
