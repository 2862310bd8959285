import type { ExportRunner } from '../exports/export-jobs.ts';
import type { FileStore } from '../files/file-store.ts';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { TSchema } from 'typebox';
import { ANON_CSRF_COOKIE, findSession, newToken, SESSION_COOKIE, SessionCache } from '../auth/sessions.ts';
import { changeNoticesOf } from '../db/change-notices.ts';
import { asTenant } from '../db/tenant-scope.ts';
import { TenantDirectory } from '../tenancy/tenants.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { registerBodyHygiene, registerInputHygiene } from './input-hygiene.ts';
import { Metrics } from './metrics.ts';
import { csrfCheckedWithBody, registerMultipart } from './multipart.ts';
import { sendProblem, toAppError } from './problem.ts';
import { csrfApplies, wantsHtml } from './request-context.ts';
import { apiClientCaller } from '../auth/api-clients.ts';
import { parseWith } from './validation.ts';
import type { JobSpec, NavEntry } from '../modules/manifest.ts';

export type App = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  import('fastify').FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface ServerDeps {
  readonly config: Config;
  readonly db: Db;
  /** The provinces served; without it, one (tenant 1). */
  readonly tenants?: TenantDirectory;
}

export const BODY_LIMIT_BYTES = 1024 * 1024;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function submittedCsrf(request: FastifyRequest): string | undefined {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = request.body as Record<string, unknown> | undefined;
  return body && typeof body === 'object' && typeof body._csrf === 'string' ? body._csrf : undefined;
}

async function registerSecurity(app: App, deps: ServerDeps): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        // The fee form posts here and is redirected to the payment gateway's checkout: browsers apply form-action to
        // that redirect too.
        formAction: ["'self'", ...(deps.config.paymentUrl ? [new URL(deps.config.paymentUrl).origin] : [])],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: deps.config.secureCookies ? [] : null,
      },
    },
    strictTransportSecurity: deps.config.secureCookies,
  });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: BODY_LIMIT_BYTES });
  registerInputHygiene(app);
  await registerMultipart(app, {
    tempDir: path.join(deps.config.dataDir, 'tmp'),
    requestLimitBytes: deps.config.multipartLimitBytes,
    csrfMatches: (request, submitted) => sameToken(submitted, request.csrfToken),
  });
  registerBodyHygiene(app);
  // Only routes that opt in (login) are limited; the limiter keeps its counters in memory per process.
  await app.register(rateLimit, { global: false });
}

/** The key of an `Authorization: Bearer …` header; undefined without one (or with another scheme). */
function bearerKey(header: string | undefined): string | undefined {
  return /^Bearer +(\S+)$/i.exec(header ?? '')?.[1];
}

/** A session cache kept true by the database's change notices; none where the handle has no notices. */
function sessionCacheOf(app: App, db: Db): SessionCache | undefined {
  const notices = changeNoticesOf(db);
  if (!notices) return undefined;
  const cache = new SessionCache();
  const unsubscribe = notices.subscribe(cache);
  app.addHook('onClose', async () => unsubscribe());
  return cache;
}

function registerSessionHooks(app: App, deps: ServerDeps): void {
  const sessions = sessionCacheOf(app, deps.db);
  app.decorateRequest('session', null);
  app.decorateRequest('csrfToken', '');
  app.decorateRequest('apiCaller', null);
  app.addHook('onRequest', async (request, reply) => {
    // API clients: a bearer key on /api/ replaces the cookies altogether; a key that does not work is an error, never
    // a fall-back to whatever session the cookies hold.
    const key = request.url.startsWith('/api/') ? bearerKey(request.headers.authorization) : undefined;
    if (key !== undefined) {
      request.apiCaller = await apiClientCaller(deps.db, key);
      if (request.apiCaller) return;
      reply.header('www-authenticate', 'Bearer error="invalid_token"');
      throw new AppError('unauthenticated', { messageVi: 'Khóa API không hợp lệ hoặc đã bị thu hồi.', detail: 'Invalid or revoked API key.' });
    }
    const token = request.cookies[SESSION_COOKIE];
    request.session = token ? await findSession(deps.db, token, deps.config.sessionTtlHours, sessions) : null;
    if (request.session) {
      request.csrfToken = request.session.csrfToken;
      return;
    }
    let anon = request.cookies[ANON_CSRF_COOKIE];
    if (!anon || anon.length < 20 || anon.length > 100) {
      anon = newToken();
      reply.setCookie(ANON_CSRF_COOKIE, anon, {
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.config.secureCookies,
        path: '/',
      });
    }
    request.csrfToken = anon;
  });
  app.addHook('preHandler', async (request) => {
    if (!UNSAFE.has(request.method) || !csrfApplies(request) || csrfCheckedWithBody(request)) return;
    const submitted = submittedCsrf(request);
    if (!submitted || !sameToken(submitted, request.csrfToken)) throw new AppError('csrf');
  });
}

/** How an error is shown to a browser; the web layer provides it (the kernel renders no page itself). */
export type ErrorPageRenderer = (request: FastifyRequest, error: AppError) => string;

function registerErrorHandling(app: App, errorPage: ErrorPageRenderer | undefined): void {
  const send = (request: FastifyRequest, reply: import('fastify').FastifyReply, error: AppError) => {
    if (errorPage && wantsHtml(request)) return reply.status(error.httpStatus).header('content-type', 'text/html; charset=utf-8').send(errorPage(request, error));
    return sendProblem(reply, error);
  };
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error);
    if (appError.code === 'internal') request.log.error({ err: error }, 'unhandled error');
    if (appError.code === 'database_unavailable') request.log.warn({ err: error }, 'database unavailable');
    return send(request, reply, appError);
  });
  app.setNotFoundHandler((request, reply) => send(request, reply, new AppError('not_found')));
}

/**
 * How each API operation is authenticated, in the OpenAPI document: with the session cookie (and, when unsafe, the
 * CSRF token), or with an API client's bearer key. Routes open to anyone declare `security: []` in their schema.
 */
function documentSecurity(app: App): void {
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || !route.schema || (route.schema as { hide?: boolean }).hide) return;
    const schema = route.schema as { security?: unknown };
    if (schema.security !== undefined) return;
    const unsafe = [route.method].flat().some((m) => UNSAFE.has(m));
    schema.security = [unsafe ? { session: [], csrf: [] } : { session: [] }, { apiKey: [] }];
  });
}

async function registerDocs(app: App): Promise<void> {
  documentSecurity(app);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'CQS API', version: '1', description: 'CQS – Chính quyền số: public and administrative API.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'Browsers and scripts that sign in with POST /api/v1/auth/login (username and password).' },
          csrf: {
            type: 'apiKey',
            in: 'header',
            name: 'x-csrf-token',
            description: `With the session cookie, every unsafe request carries this header: the csrfToken that sign-in and GET /api/v1/auth/me return. Before signing in, it is the value of the ${ANON_CSRF_COOKIE} cookie that any response sets (send both).`,
          },
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API client’s key (cqs_…), made by an administrator at /quan-tri/ung-dung: `Authorization: Bearer <key>`. It holds a set of permissions over one org unit’s subtree; no cookie and no CSRF token.' },
        },
      },
    },
  });
  // The document for machines; the page a person reads at /api/docs is rendered from it by a module.
  app.get('/api/docs/json', { schema: { hide: true } }, async () => app.swagger());
}

// Served whatever the host: a load balancer's probes and the static assets belong to no province.
const WITHOUT_TENANT = /^\/(healthz|readyz|metrics|assets\/)/;

/**
 * Every request runs as the province its host names (TenantDirectory), first of all hooks: everything after it,
 * sessions included, reads and writes that province's rows only. A host no province answers on is refused.
 */
function registerTenantHook(app: App, tenants: TenantDirectory): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const tenant = tenants.forHost(request.headers.host);
    if (tenant !== undefined) return asTenant(tenant, done);
    if (WITHOUT_TENANT.test(request.url)) return done();
    done(new AppError('not_found', { messageVi: 'Địa chỉ này không thuộc tỉnh nào mà hệ thống phục vụ.', detail: `No province is served at host ${request.headers.host ?? '(none)'}.` }));
  });
}

/** Builds the HTTP server with the kernel's security, errors, docs and health routes; modules add their routes. */
declare module 'fastify' {
  interface FastifyInstance {
    /** The modules' navigation entries (see ModuleManifest). */
    navigation: readonly NavEntry[];
    /** The modules' periodic jobs, which `cqs start` runs. */
    jobs: readonly JobSpec[];
    /** The background exports, which `cqs start` starts (tests run them with `runPending`). */
    exports: ExportRunner;
    /** Where file content lives; `cqs start`'s housekeeping cleans the same store the routes write to. */
    files: FileStore;
    /** The provinces served, which `cqs start` runs every job for. */
    tenants: TenantDirectory;
  }
}

export async function createServer(deps: ServerDeps, modules: readonly ((app: App) => Promise<void> | void)[], registry: { navigation?: readonly NavEntry[]; jobs?: readonly JobSpec[]; errorPage?: ErrorPageRenderer } = {}): Promise<App> {
  const app = Fastify({
    logger: { level: deps.config.logLevel },
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: () => randomUUID(),
    // request.ip is the X-Forwarded-For client only when the connection comes from a configured proxy; otherwise
    // anyone could pick the address their rate limits are counted under.
    trustProxy: deps.config.trustProxy.length > 0 ? [...deps.config.trustProxy] : false,
    ajv: undefined,
  }).withTypeProvider<TypeBoxTypeProvider>();
  // One validator for API and pages: TypeBox, reporting every field error at once (see validation.ts).
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const convert = httpPart !== 'body';
    return (data: unknown) => {
      try {
        // A request without a body is checked as an empty object, so a missing body reports its missing fields.
        const input = httpPart === 'body' && (data === undefined || data === null) ? {} : data;
        return { value: parseWith(schema as TSchema, input, { convert }) };
      } catch (error) {
        return { error: error as Error };
      }
    };
  });
  app.decorate('navigation', registry.navigation ?? []);
  app.decorate('jobs', registry.jobs ?? []);
  const tenants = deps.tenants ?? new TenantDirectory([]);
  app.decorate('tenants', tenants);
  registerTenantHook(app, tenants);
  await registerSecurity(app, deps);
  registerSessionHooks(app, deps);
  registerErrorHandling(app, registry.errorPage);
  await registerDocs(app);
  const metrics = new Metrics({ token: deps.config.metricsToken, allow: deps.config.metricsAllow });
  metrics.register(app);
  await app.register(fastifyStatic, {
    root: fileURLToPath(new URL('../../web/assets/', import.meta.url)),
    prefix: '/assets/',
    maxAge: '1h',
  });
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await deps.db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
      return { status: 'ready' };
    } catch {
      return reply.status(503).send({ status: 'unavailable' });
    }
  });
  for (const register of modules) await register(app);
  return app;
}
