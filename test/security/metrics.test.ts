import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const TOKEN = 'scrape-token-0123456789abcdef';
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ CQS_METRICS_TOKEN: TOKEN, CQS_METRICS_ALLOW: '10.1.2.3' });
});
afterAll(async () => t.close());

const scrape = (remoteAddress: string, authorization?: string) =>
  t.app.inject({ method: 'GET', url: '/metrics', remoteAddress, headers: authorization ? { authorization } : {} });

describe('/metrics', () => {
  it('answers a scraper with the token from any address', async () => {
    const res = await scrape('198.51.100.7', `Bearer ${TOKEN}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('cqs_http_requests_total');
  });

  it('answers a listed address without the token', async () => {
    expect((await scrape('10.1.2.3')).statusCode).toBe(200);
    expect((await scrape('::ffff:10.1.2.3')).statusCode).toBe(200);
  });

  it('is not found for anyone else, with a wrong token, or from loopback once the list names other addresses', async () => {
    for (const res of [await scrape('198.51.100.7'), await scrape('198.51.100.7', 'Bearer wrong-token-0123456789ab'), await scrape('198.51.100.7', TOKEN), await scrape('127.0.0.1')]) {
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('cqs_http_requests_total');
    }
  });
});

describe('metrics settings', () => {
  it('default to loopback only and refuse malformed values', () => {
    expect(loadConfig({}).metricsAllow).toEqual(['127.0.0.1', '::1']);
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(() => loadConfig({ CQS_METRICS_ALLOW: '10.0.0.0/8' })).toThrow(/CQS_METRICS_ALLOW/);
    expect(() => loadConfig({ CQS_METRICS_TOKEN: 'short' })).toThrow(/CQS_METRICS_TOKEN/);
  });
});
