import type { Clock } from '../../platform/time.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db/database.ts';
import { AppError, type FieldError } from '../../platform/errors.ts';
import { actorOf, requireUser } from '../../platform/http/request-context.ts';
import type { App } from '../../platform/http/server.ts';
import { handleFormPost, formFields as postedFields } from '../../web/form-post.ts';
import { errorsByField } from '../../web/form.tsx';
import { pageContext, sendPage } from '../../web/pages.tsx';
import { type CitizenProfile, citizenProfileOf, updateCitizenProfile } from './citizen-profile.ts';
import { ProfilePage } from './pages/profile-page.tsx';
import { addressChoices } from './places.ts';
import { CitizenProfileBody, CitizenProfileView } from './schema.ts';

const FIELDS = ['dateOfBirth', 'sex', 'ethnicity', 'address.province', 'address.commune', 'address.street', 'phone', 'email'] as const;

const view = (p: CitizenProfile) => ({
  fullName: p.fullName,
  personalId: p.personalId,
  phone: p.phone,
  email: p.email,
  dateOfBirth: p.dateOfBirth,
  sex: p.sex,
  ethnicity: p.ethnicity,
  address: p.address ? { commune: p.address.place.communeCode, street: p.address.street, text: p.address.text } : null,
});

/** The profile as the page's fields. */
const formOf = (p: CitizenProfile): Record<string, string> =>
  Object.fromEntries(
    Object.entries({ dateOfBirth: p.dateOfBirth, sex: p.sex, ethnicity: p.ethnicity, 'address.province': p.address?.place.provinceCode, 'address.commune': p.address?.place.communeCode, 'address.street': p.address?.street, phone: p.phone, email: p.email }).filter(
      (e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '',
    ),
  );

/** The page's fields as the API's body: what is left empty is cleared. */
function bodyOf(form: Readonly<Record<string, string>>): Record<string, unknown> {
  const commune = form['address.commune'];
  const street = form['address.street'];
  return {
    phone: form.phone ?? null,
    email: form.email ?? null,
    dateOfBirth: form.dateOfBirth ?? null,
    sex: form.sex ?? null,
    ethnicity: form.ethnicity ?? null,
    address: commune || street ? { commune: commune ?? '', street: street ?? '' } : null,
  };
}

async function ownProfile(db: Db, request: FastifyRequest): Promise<CitizenProfile> {
  const user = requireUser(request);
  const profile = user.kind === 'citizen' ? await citizenProfileOf(db, user.id) : null;
  if (!profile) throw new AppError('forbidden', { messageVi: 'Chỉ tài khoản công dân có thông tin cá nhân.' });
  return profile;
}

/** A citizen's own profile: the page `/dich-vu-cong/thong-tin-ca-nhan` and `GET/PUT /api/v1/me/profile`. */
export function profileRoutes(db: Db, clock: Clock) {
  return (app: App) => {
    const page = async (request: FastifyRequest, reply: FastifyReply, state: { form: Record<string, string>; errors: readonly FieldError[]; notice?: string }, status?: number) => {
      const profile = await ownProfile(db, request);
      const choices = await addressChoices(db, { province: state.form['address.province'], commune: state.form['address.commune'] });
      const body = <ProfilePage ctx={pageContext(request)} account={profile} form={state.form} errors={errorsByField(state.errors)} address={choices} notice={state.notice} />;
      return sendPage(reply, body, status ?? (state.errors.length > 0 ? 400 : 200));
    };
    app.get('/dich-vu-cong/thong-tin-ca-nhan', { schema: { hide: true } }, async (request, reply) => {
      const profile = await ownProfile(db, request);
      const saved = (request.query as Record<string, unknown> | undefined)?.['da-luu'] === '1';
      return page(request, reply, { form: formOf(profile), errors: [], ...(saved ? { notice: 'Đã lưu thông tin cá nhân.' } : {}) });
    });
    app.post('/dich-vu-cong/thong-tin-ca-nhan', { schema: { hide: true } }, async (request, reply) => {
      const profile = await ownProfile(db, request);
      // Another province chosen for the address: the page comes back, as typed, with that province's communes.
      if ((request.body as Record<string, unknown> | undefined)?.refresh) return page(request, reply, { form: postedFields(request.body, FIELDS), errors: [] });
      return handleFormPost(request, reply, {
        fields: FIELDS,
        dates: ['dateOfBirth'],
        schema: CitizenProfileBody,
        toInput: (form) => bodyOf(form) as CitizenProfileBody,
        run: async (input) => {
          await updateCitizenProfile(db, { now: clock.now() }, actorOf(request), profile.userId, input);
          return '/dich-vu-cong/thong-tin-ca-nhan?da-luu=1';
        },
        render: (state) => page(request, reply, { form: { ...state.form }, errors: state.fieldErrors }, state.status),
      });
    });

    app.get('/api/v1/me/profile', { schema: { tags: ['directory'], summary: "The signed-in citizen's profile, which e-forms are filled in from", response: { 200: CitizenProfileView } } }, async (request) => view(await ownProfile(db, request)));
    app.put(
      '/api/v1/me/profile',
      { schema: { tags: ['directory'], summary: "Replace the signed-in citizen's profile (phone, e-mail, date of birth, sex, ethnicity, address)", body: CitizenProfileBody, response: { 200: CitizenProfileView } } },
      async (request) => {
        const profile = await ownProfile(db, request);
        return view(await updateCitizenProfile(db, { now: clock.now() }, actorOf(request), profile.userId, request.body));
      },
    );
  };
}
