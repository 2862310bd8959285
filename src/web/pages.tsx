import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { hasPermissionAnywhere } from '../platform/auth/permissions.ts';
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
  return {
    user,
    csrfToken: request.csrfToken,
    path: request.url.split('?')[0] ?? '/',
    siteName: SITE_NAME,
    navigation: request.server.navigation.filter((n) => navShownTo(n, user, (p) => hasPermissionAnywhere(user, p))).map((n) => ({ href: n.href, label: n.labelVi })),
  };
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
