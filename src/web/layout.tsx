import type { ComponentChildren } from 'preact';
import type { PageContext } from './page-context.ts';

interface NavLink {
  readonly href: string;
  readonly label: string;
}

function navLinks(ctx: PageContext): NavLink[] {
  const links: NavLink[] = [
    { href: '/thu-tuc', label: 'Thủ tục hành chính' },
    { href: '/tra-cuu-ho-so', label: 'Tra cứu hồ sơ' },
  ];
  if (ctx.user?.kind === 'citizen') links.push({ href: '/dich-vu-cong/ho-so', label: 'Hồ sơ của tôi' }, { href: '/dich-vu-cong/kho-giay-to', label: 'Kho giấy tờ' });
  if (ctx.worksDossiers) links.push({ href: '/mot-cua', label: 'Xử lý hồ sơ' }, { href: '/thong-ke/ho-so', label: 'Thống kê' });
  if (ctx.isAdmin) {
    links.push(
      { href: '/quan-tri/don-vi', label: 'Đơn vị' },
      { href: '/quan-tri/can-bo', label: 'Cán bộ' },
      { href: '/quan-tri/thu-tuc', label: 'Danh mục thủ tục' },
      { href: '/quan-tri/lich', label: 'Lịch làm việc' },
      { href: '/quan-tri/danh-so', label: 'Dãy số' },
      { href: '/quan-tri/nhat-ky', label: 'Nhật ký' },
      { href: '/quan-tri/hop-thu', label: 'Hộp thư đi' },
    );
  }
  return links;
}

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
              {navLinks(ctx).map((l) => (
                <li key={l.href}>
                  <a href={l.href} aria-current={ctx.path.startsWith(l.href) ? 'page' : undefined}>
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
