import type { ComponentChildren } from 'preact';
import type { PageContext } from './page-context.ts';

export function CsrfField({ ctx }: { ctx: PageContext }) {
  return <input type="hidden" name="_csrf" value={ctx.csrfToken} />;
}

export function Layout(props: { ctx: PageContext; title: string; children: ComponentChildren }) {
  const { ctx } = props;
  return (
    <html lang="vi">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} – ${ctx.siteName}`}</title>
        <link rel="stylesheet" href="/assets/app.css" />
      </head>
      <body>
        <a class="skip-link" href="#noi-dung">
          Chuyển đến nội dung chính
        </a>
        <header class="site-header">
          <div class="container header-row">
            <a class="brand" href="/">
              {ctx.siteName}
            </a>
            <div class="account">
              {ctx.user ? (
                <form method="post" action="/dang-xuat" class="inline-form">
                  <CsrfField ctx={ctx} />
                  <span class="user-name">{ctx.user.fullName}</span>{' '}
                  <button type="submit" class="link-button">
                    Đăng xuất
                  </button>
                </form>
              ) : (
                <a href="/dang-nhap">Đăng nhập</a>
              )}
            </div>
          </div>
          <nav aria-label="Điều hướng chính" class="container">
            <ul class="nav">
              {ctx.navigation.map((l) => (
                <li key={l.href}>
                  <a href={l.href} aria-current={l.current ? 'page' : undefined}>
                    {l.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="noi-dung" class="container" tabIndex={-1}>
          {props.children}
        </main>
        <footer class="site-footer">
          <div class="container">
            <p>
              CQS – Chính quyền số. Mã nguồn mở. Giờ hiển thị theo múi giờ Việt Nam (GMT+7). <a href="/api/docs">API</a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** A horizontally scrollable table container that keyboard users can focus and scroll (WCAG 2.1.1). */
export function TableWrap(props: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <section class="table-wrap" aria-label={props.label} tabIndex={0}>
      {props.children}
    </section>
  );
}
