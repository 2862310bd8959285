import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { CurrentUser } from '../../platform/auth/permissions.ts';
import type { Config } from '../../platform/config.ts';
import type { Db, DbOrTx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { requireUser } from '../../platform/http/request-context.ts';
import type { App } from '../../platform/http/server.ts';
import { localDateOf } from '../../platform/time.ts';
import { apologyLetter } from './apology-letter.ts';
import { userIn } from './area.ts';
import { processControlSlip } from './control-slip.ts';
import { factsForForm, type FormFacts } from './form-facts.ts';
import { type ChosenForm, formFor } from './form-templates.ts';
import { refusalForm, stopNotice, supplementRequestForm } from './forms.ts';
import { DOSSIER_FORM_KINDS, type DossierFormKind, formSlugs, formsOf } from './printable-forms.ts';
import { receiptSlip } from './receipt-slip.ts';
import type { DossierView } from './schema.ts';

type Render = (facts: FormFacts, form: ChosenForm, lookupUrl: string) => Promise<Buffer>;
const renderers: Readonly<Record<DossierFormKind, Render>> = {
  receipt: receiptSlip,
  supplement_request: supplementRequestForm,
  refusal: refusalForm,
  apology: apologyLetter,
  stop_notice: stopNotice,
  control_slip: processControlSlip,
};

const kindOfSlug = new Map(DOSSIER_FORM_KINDS.map((k) => [formSlugs[k], k]));
const FormName = Type.Union(DOSSIER_FORM_KINDS.map((k) => Type.Literal(k)));

/** A form title as a link reads ("GIẤY TIẾP NHẬN …" → "Giấy tiếp nhận …"). */
const sentence = (title: string) => {
  const lower = title.toLocaleLowerCase('vi');
  return lower.charAt(0).toLocaleUpperCase('vi') + lower.slice(1);
};

/** The links to the forms this dossier has, numbered as the version of its date numbers them. */
export async function formLinks(db: DbOrTx, d: DossierView, base: string): Promise<{ href: string; label: string }[]> {
  const date = localDateOf(new Date(d.submittedAt));
  return Promise.all(
    formsOf(d).map(async (kind) => {
      const form = await formFor(db, kind, date);
      return { href: `${base}/phieu/${formSlugs[kind]}.pdf`, label: `${sentence(form.title)} (Mẫu ${form.number}, PDF)` };
    }),
  );
}

/**
 * The printed forms of a dossier, for its applicant and the officers who may see it: a dossier out of reach is 404;
 * a form for something that did not happen (a receipt slip for a dossier never received, a refusal of a dossier not
 * refused …) is 409 with the reason, and its link is not on the page.
 */
export function formRoutes(deps: { db: Db; config: Config }) {
  const send = async (reply: FastifyReply, user: CurrentUser, id: string, kind: DossierFormKind) => {
    const { facts, form } = await factsForForm(deps.db, user, id, kind);
    const code = facts.d.code ?? id;
    const pdf = await renderers[kind](facts, form, `${deps.config.publicUrl}/tra-cuu-ho-so?code=${encodeURIComponent(code)}`);
    return reply.header('content-type', 'application/pdf').header('content-disposition', `inline; filename="${formSlugs[kind]}-${code}.pdf"`).header('cache-control', 'private, no-store').send(pdf);
  };
  return (app: App) => {
    const Slug = Type.Union(DOSSIER_FORM_KINDS.map((k) => Type.Literal(`${formSlugs[k]}.pdf`)));
    for (const base of ['dich-vu-cong', 'mot-cua'] as const) {
      app.get(`/${base}/ho-so/:id/phieu/:form`, { schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }), form: Slug }) } }, async (request, reply) => {
        const params = request.params as { id: string; form: string };
        const kind = kindOfSlug.get(params.form.replace(/\.pdf$/, ''));
        if (!kind) throw new AppError('not_found');
        return send(reply, userIn(request, base), params.id, kind);
      });
      // The addresses pages linked to before every form moved under …/phieu/.
      for (const [path, kind] of [['giay-tiep-nhan.pdf', 'receipt'], ['xin-loi.pdf', 'apology']] as const) {
        app.get(`/${base}/ho-so/:id/${path}`, { schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } }, async (request, reply) =>
          send(reply, userIn(request, base), (request.params as { id: string }).id, kind),
        );
      }
    }
    app.get(
      '/api/v1/dossiers/:id/forms/:form',
      {
        schema: {
          tags: ['dossiers'],
          summary: 'A printed form of a dossier (PDF, A5): receipt slip, supplement request, refusal, apology, stop notice or control slip, numbered by the forms in force on its date; 409 when what it records did not happen',
          params: Type.Object({ id: Type.String({ format: 'uuid' }), form: FormName }),
        },
      },
      async (request, reply) => send(reply, requireUser(request), request.params.id, request.params.form as DossierFormKind),
    );
  };
}
