import { Layout } from '../../web/layout.tsx';
import type { PageContext } from '../../web/page-context.ts';
import { renderDocument } from '../../web/render.tsx';
import type { AppError } from '../errors.ts';

export function renderErrorPage(ctx: PageContext, error: AppError): string {
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
