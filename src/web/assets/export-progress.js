// Follows an export being written in the background (/tai-ve/<id>): asks the API every two seconds how far it has
// come, updates the progress bar and its text, and reloads the page once it is done (to show the download link).
// Without JavaScript the page still has its "Cập nhật tiến độ" link.
const box = document.getElementById('export');
const statusVi = { queued: 'Đang chờ xuất', running: 'Đang xuất', done: 'Đã xuất xong', failed: 'Xuất không thành công' };

function describe(v) {
  if (v.rowsTotal === null) return v.status === 'queued' ? 'Chờ đến lượt.' : 'Đang đếm số dòng…';
  const share = v.rowsTotal === 0 ? 100 : Math.floor((100 * v.rowsDone) / v.rowsTotal);
  return `${v.rowsDone.toLocaleString('vi-VN')} / ${v.rowsTotal.toLocaleString('vi-VN')} dòng (${share} %)`;
}

async function poll() {
  const res = await fetch(box.dataset.statusUrl, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (!res.ok) return;
  const v = await res.json();
  if (v.status === 'done' || v.status === 'failed') {
    window.location.reload();
    return;
  }
  const bar = document.getElementById('export-progress');
  bar.max = Math.max(1, v.rowsTotal ?? 1);
  bar.value = v.rowsDone;
  bar.textContent = describe(v);
  document.getElementById('export-status').textContent = statusVi[v.status];
  document.getElementById('export-progress-text').textContent = describe(v);
  setTimeout(tick, 2000);
}

// A request that fails (the network, a restart) is tried again a little later.
const tick = () => poll().catch(() => setTimeout(tick, 5000));

if (box && box.dataset.open === 'true') setTimeout(tick, 1000);
