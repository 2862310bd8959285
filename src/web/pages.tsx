import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { AppError } from '../platform/errors.ts';
import { currentUser } from '../platform/http/request-context.ts';
import { navShownTo } from '../platform/modules/manifest.ts';
import { Layout } from './layout.tsx';
import type { PageContext } from './page-context.ts';
import { renderDocument } from './render.tsx';

const SITE_NAME = 'CQS – Chính quyền số';

/** What a page needs of the request: who is signed in, the CSRF token, where they are, their navigation. */
export function pageContext(request: FastifyRequest): PageContext {
  const user = currentUser(request);
  const path = request.url.split('?')[0] ?? '/';
  const shown = request.server.navigation.filter((n) => navShownTo(n, user));
  // The entry the page belongs to is the longest one its path starts with (/mot-cua/so-theo-doi is not /mot-cua).
  const current = shown.filter((n) => path === n.href || path.startsWith(`${n.href}/`)).sort((a, b) => b.href.length - a.href.length)[0];
  return { user, csrfToken: request.csrfToken, path, siteName: SITE_NAME, navigation: shown.map((n) => ({ href: n.href, label: n.labelVi, current: n === current })) };
}

export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return reply.status(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(renderDocument(page));
}

/** The page shown for an error to a browser (the kernel's error handler is given this function). */
export function renderErrorPage(request: FastifyRequest, error: AppError): string {
  const ctx = pageContext(request);
  const title = error.httpStatus === 404 ? 'Không tìm thấy trang' : 'Không thực hiện được yêu cầu';
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{error.messageVi}</p>
      {error.code === 'unauthenticated' ? (
        <p>
          <a href={`/dang-nhap?next=${encodeURIComponent(ctx.path)}`}>Đăng nhập</a>
        </p>
      ) : null}
      <p>
        <a href="/">Về trang chủ</a>
      </p>
    </Layout>,
  );
}
