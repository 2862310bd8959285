import { Layout } from '../../web/layout.tsx';
import { pageContext, sendPage } from '../../web/pages.tsx';
import type { App } from '../../platform/http/server.ts';

export function homeRoutes() {
  return (app: App) => {
    app.get('/', { schema: { hide: true } }, async (request, reply) => {
      const ctx = pageContext(request);
      return sendPage(
        reply,
        <Layout ctx={ctx} title="Trang chủ">
          <h1>{ctx.siteName}</h1>
          <p>Tra cứu thủ tục hành chính, chuẩn bị hồ sơ và theo dõi việc giải quyết trên môi trường số.</p>
          <search>
          <form method="get" action="/thu-tuc" class="field">
            <label for="q-home">Tìm thủ tục hành chính</label>
            <input id="q-home" name="q" type="search" placeholder="Ví dụ: đăng ký khai sinh" />
            <div class="actions">
              <button type="submit" class="button">
                Tìm kiếm
              </button>
            </div>
          </form>
          </search>
        </Layout>,
      );
    });
  };
}
