import type { Role } from '../../platform/db/schema.ts';

/** The demo password: from CQS_DEMO_PASSWORD, else this default, printed at start (demo data only). */
export const DEMO_PASSWORD = process.env.CQS_DEMO_PASSWORD ?? 'Demo@2026!';

/** Where a demo official works: the province's root, one of its units by name, or the first commune. */
export type DemoPlace = 'root' | 'provincial_centre' | 'justice' | 'first_commune';

export interface DemoAccount {
  readonly username: string;
  readonly fullName: string;
  readonly role: Role | null;
  readonly place: DemoPlace | null;
  readonly roleLabelVi: string;
}

export const DEMO_CITIZEN_ID = '056190001234';
// Delivered to the local SMTP sink and SMS simulator in the demo; example.vn is not a real mailbox.
export const DEMO_CITIZEN_CONTACT = { email: 'mai.nguyen@example.vn', phone: '0912345678' };
// What her account knows besides: born in 1990 and female, as her personal ID says (digits 4–6), living in Nha Trang.
export const DEMO_CITIZEN_PROFILE = { dateOfBirth: '1990-03-14', sex: 'female', ethnicity: 'Kinh', communeCode: '22366', street: '25 Lê Thánh Tôn' } as const;

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'admin', fullName: 'Quản trị hệ thống tỉnh', role: 'administrator', place: 'root', roleLabelVi: 'Quản trị hệ thống (toàn tỉnh)' },
  { username: 'lanhdao.tinh', fullName: 'Lê Văn Hùng', role: 'agency_leader', place: 'root', roleLabelVi: 'Lãnh đạo UBND tỉnh' },
  { username: 'motcua.tinh', fullName: 'Phạm Thị Lan', role: 'one_stop_officer', place: 'provincial_centre', roleLabelVi: 'Cán bộ một cửa, TTPVHCC tỉnh' },
  { username: 'chuyenvien.stp', fullName: 'Trần Minh Khoa', role: 'specialist', place: 'justice', roleLabelVi: 'Chuyên viên Sở Tư pháp' },
  { username: 'lanhdao.stp', fullName: 'Võ Thị Thu', role: 'department_leader', place: 'justice', roleLabelVi: 'Lãnh đạo phòng, Sở Tư pháp' },
  { username: 'vanthu.stp', fullName: 'Ngô Văn Tâm', role: 'clerk', place: 'justice', roleLabelVi: 'Văn thư Sở Tư pháp' },
  { username: 'baocao.stp', fullName: 'Đặng Thị Hoa', role: 'reporting_officer', place: 'justice', roleLabelVi: 'Cán bộ báo cáo Sở Tư pháp' },
  { username: 'quantri.xa', fullName: 'Huỳnh Văn Nam', role: 'administrator', place: 'first_commune', roleLabelVi: 'Quản trị hệ thống của một phường' },
  { username: DEMO_CITIZEN_ID, fullName: 'Nguyễn Thị Mai', role: null, place: null, roleLabelVi: 'Công dân (đăng nhập bằng số định danh)' },
];
