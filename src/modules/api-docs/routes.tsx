import type { App } from '../../platform/http/server.ts';
import { pageContext, sendPage } from '../../web/pages.tsx';
import { ApiDocsPage } from './api-docs-page.tsx';
import { type ApiReference, readApiReference } from './openapi-document.ts';

export function apiDocsRoutes() {
  return (app: App) => {
    // The document is complete once every route is registered, and fixed from then on: read it once, on first use.
    let reference: ApiReference | undefined;
    app.get('/api/docs', { schema: { hide: true } }, async (request, reply) => {
      reference ??= readApiReference(app.swagger());
      return sendPage(reply, <ApiDocsPage ctx={pageContext(request)} reference={reference} />);
    });
  };
}
