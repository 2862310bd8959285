import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

/** Who may read `/metrics`: a scraper presenting the token, or a client at one of the listed addresses. */
export interface MetricsAccess {
  readonly token: string | undefined;
  readonly allow: readonly string[];
}

/** `::ffff:127.0.0.1` is how an IPv4 client looks on a dual-stack socket; it is the same address. */
const plainAddress = (ip: string) => ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');

function bearerMatches(request: FastifyRequest, token: string): boolean {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1]);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function mayReadMetrics(request: FastifyRequest, access: MetricsAccess): boolean {
  if (access.token !== undefined && bearerMatches(request, access.token)) return true;
  const ip = plainAddress(request.ip);
  return access.allow.some((a) => plainAddress(a) === ip);
}

/** Prometheus text exposition of request counts and durations per route, plus process memory. */
export class Metrics {
  readonly #counts = new Map<string, number>();
  readonly #seconds = new Map<string, number>();

  constructor(private readonly access: MetricsAccess) {}

  register(app: FastifyInstance): void {
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const key = `method="${request.method}",route="${route.replaceAll('"', '')}",status="${reply.statusCode}"`;
      this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
      this.#seconds.set(key, (this.#seconds.get(key) ?? 0) + reply.elapsedTime / 1000);
    });
    // Route names, traffic and memory help an attacker; anyone else is told there is nothing here.
    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      if (!mayReadMetrics(request, this.access)) throw new AppError('not_found');
      return reply.header('content-type', 'text/plain; version=0.0.4').header('cache-control', 'no-store').send(this.render());
    });
  }

  render(): string {
    const lines = [
      '# HELP cqs_http_requests_total HTTP requests by method, route and status.',
      '# TYPE cqs_http_requests_total counter',
      ...[...this.#counts].map(([k, v]) => `cqs_http_requests_total{${k}} ${v}`),
      '# HELP cqs_http_request_seconds_total Time spent answering, by method, route and status.',
      '# TYPE cqs_http_request_seconds_total counter',
      ...[...this.#seconds].map(([k, v]) => `cqs_http_request_seconds_total{${k}} ${v.toFixed(6)}`),
      '# HELP cqs_process_resident_bytes Resident memory of this process.',
      '# TYPE cqs_process_resident_bytes gauge',
      `cqs_process_resident_bytes ${process.memoryUsage().rss}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}
