import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { readApiReference, schemaSummary } from './openapi-document.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('the API reference page', () => {
  it('shows every operation of /api/docs/json, with its parameters, body and responses, as a page of our own', async () => {
    const json = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(json.statusCode).toBe(200);
    expect(json.json().openapi).toBe('3.1.0');
    const reference = readApiReference(json.json());
    expect(reference.operations.length).toBeGreaterThan(40);
    const page = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<h1>Tài liệu API</h1>');
    expect(page.body).toContain('<html lang="vi">');
    expect(page.body.match(/class="api-operation"/g)?.length).toBe(reference.operations.length);
    for (const op of reference.operations) expect(page.body, `${op.method} ${op.path}`).toContain(`id="${op.id}"`);
    // The look-up's query parameter, the action names a path takes, a body's required field and a response's fields.
    const lookup = page.body.slice(page.body.indexOf('id="get-api-v1-dossier-lookup"'));
    expect(lookup).toContain('<code>code</code> (truy vấn, bắt buộc): chuỗi, 5–60 ký tự');
    expect(page.body).toContain('một trong: &quot;receive&quot;, &quot;refuse&quot;');
    expect(page.body).toContain('<code>procedureCode</code> (bắt buộc): chuỗi, mẫu ^[0-9]\\.[0-9]{6}$');
    expect(lookup).toContain('<code>receivingOrgUnit</code> (bắt buộc): chuỗi — the agency that received the dossier');
    // A dossier's view, the answer of many operations, is shown once in full and linked to from the others.
    const view = reference.operations.find((o) => o.method === 'GET' && o.path === '/api/v1/dossiers/{id}')?.responses[0];
    const again = reference.operations.find((o) => o.method === 'POST' && o.path === '/api/v1/dossiers/{id}/rating')?.responses[0];
    expect(again?.sameAs?.anchor).toBeDefined();
    expect(page.body).toContain(`href="#${again?.sameAs?.anchor}"`);
    expect(page.body).toContain(`id="${again?.sameAs?.anchor}"`);
    expect(view && again && JSON.stringify(view.schema) === JSON.stringify(again.schema)).toBe(true);
    // Swagger UI is gone: nothing of it is served any more.
    expect((await t.app.inject({ method: 'GET', url: '/api/docs/static/index.html' })).statusCode).toBe(404);
    expect(page.body).not.toContain('swagger-ui');
  });

  it('says what a schema accepts in Vietnamese', () => {
    expect(schemaSummary({ anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] })).toBe('chuỗi, định dạng date-time hoặc null');
    expect(schemaSummary({ type: 'integer', minimum: 1, maximum: 50 })).toBe('số nguyên, 1–50');
    expect(schemaSummary({ type: 'array', maxItems: 60 })).toBe('mảng, tối đa 60 phần tử');
    expect(schemaSummary({ anyOf: [{ const: 1 }, { const: 3 }] })).toBe('một trong: 1, 3');
    expect(schemaSummary({})).toBe('giá trị bất kỳ');
  });
});
