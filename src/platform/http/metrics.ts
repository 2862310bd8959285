import type { FastifyInstance } from 'fastify';

/** Prometheus text exposition of request counts and durations per route, plus process memory. */
export class Metrics {
  readonly #counts = new Map<string, number>();
  readonly #seconds = new Map<string, number>();

  register(app: FastifyInstance): void {
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const key = `method="${request.method}",route="${route.replaceAll('"', '')}",status="${reply.statusCode}"`;
      this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
      this.#seconds.set(key, (this.#seconds.get(key) ?? 0) + reply.elapsedTime / 1000);
    });
    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
      reply.header('content-type', 'text/plain; version=0.0.4').send(this.render()),
    );
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
