// Vietnam has used UTC+7 without daylight saving since 1975, so Asia/Ho_Chi_Minh formatting is stable.
const dateFmt = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});
const timeFmt = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', hour12: false });
const moneyFmt = new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND', maximumFractionDigits: 0 });

function parts(d: Date): { day: string; month: string; year: string } {
  const p = Object.fromEntries(dateFmt.formatToParts(d).map((x) => [x.type, x.value]));
  return { day: p.day ?? '', month: p.month ?? '', year: p.year ?? '' };
}

/** dd/MM/yyyy in Asia/Ho_Chi_Minh. */
export function formatDate(d: Date): string {
  const p = parts(d);
  return `${p.day}/${p.month}/${p.year}`;
}

/** A calendar date stored as YYYY-MM-DD, shown as dd/MM/yyyy. */
export function formatIsoDate(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

/** "ngày 05 tháng 03 năm 2026" in Asia/Ho_Chi_Minh: the date line of official documents (NĐ 30/2020 Phụ lục I). */
export function formatDateWords(d: Date): string {
  const p = parts(d);
  return `ngày ${p.day} tháng ${p.month} năm ${p.year}`;
}

/** "08 giờ 30 phút, ngày 05/03/2026" in Asia/Ho_Chi_Minh, as the one-stop forms state an instant. */
export function formatClockDate(d: Date): string {
  const [hour = '', minute = ''] = timeFmt.format(d).split(':');
  return `${hour} giờ ${minute} phút, ngày ${formatDate(d)}`;
}

export function formatDateTime(d: Date): string {
  return `${timeFmt.format(d)} ${formatDate(d)}`;
}

export function formatVnd(amount: number): string {
  return moneyFmt.format(amount);
}
