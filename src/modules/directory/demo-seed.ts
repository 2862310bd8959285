import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { recordAudit, systemActor } from '../../platform/audit/audit-log.ts';
import { hashPassword } from '../../platform/auth/password.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { OrgUnitsTable } from '../../platform/db/schema.ts';
import type { Insertable } from 'kysely';
import { DEMO_ACCOUNTS, DEMO_CITIZEN_CONTACT, DEMO_CITIZEN_ID, DEMO_CITIZEN_PROFILE, DEMO_PASSWORD, type DemoPlace } from './demo-accounts.ts';
import { importAdminUnits, MERGER_DATE, readBundledAdminUnitFiles } from './import-admin-units.ts';

export const DEMO_PROVINCE = { code: '56', mergerBasis: 'NQ 202/2025/QH15', communeMergerBasis: 'NQ 1667/NQ-UBTVQH15' };
const CODE_NOTE = 'Mã giả định cho dữ liệu mẫu, cần thay bằng mã theo quyết định cấp mã định danh';

const DEPARTMENTS = [
  'Sở Tư pháp',
  'Sở Tài chính',
  'Sở Xây dựng',
  'Sở Nông nghiệp và Môi trường',
  'Sở Nội vụ',
  'Sở Y tế',
  'Sở Giáo dục và Đào tạo',
  'Sở Công Thương',
  'Sở Khoa học và Công nghệ',
  'Sở Văn hóa, Thể thao và Du lịch',
  'Sở Dân tộc và Tôn giáo',
  'Thanh tra tỉnh',
];

async function provinceLevel1Code(provinceCode: string): Promise<string> {
  const text = await readFile(new URL('../../../data/agency-codes/ma_dinh_danh_cap1_tinh_63_SUY_LUAN.csv', import.meta.url), 'utf8');
  const rows: Record<string, string>[] = parse(text, { columns: true, skip_empty_lines: true, bom: true });
  const row = rows.find((r) => r.gso_province_code === provinceCode);
  return (row?.ma_dinh_danh_gia_thuyet ?? '000.00.00.H00').slice(-3);
}

interface Built {
  readonly rows: Insertable<OrgUnitsTable>[];
  readonly places: Map<DemoPlace, string>;
}

/** The demo org tree; agency codes follow QCVN 102 (V1V2V3.Z1Z2.Y1Y2.MX1X2) with level-2 codes numbered in order. */
function buildOrgTree(level1: string, provinceId: string, communes: { id: string; fullName: string }[]): Built {
  const rows: Insertable<OrgUnitsTable>[] = [];
  const add = (name: string, kind: OrgUnitsTable['kind'], parent: { id: string; path: string } | null, code: string, adminUnitId: string | null, letterhead: { governing_body?: string; place_name?: string } = {}) => {
    const id = randomUUID();
    const path = `${parent?.path ?? '/'}${id}/`;
    rows.push({ id, parent_id: parent?.id ?? null, path, kind, name, short_name: null, admin_unit_id: adminUnitId, agency_code: code, agency_code_note: CODE_NOTE, valid_from: MERGER_DATE, valid_to: null, ...letterhead });
    return { id, path };
  };
  const two = (n: number) => String(n).padStart(2, '0');
  // Province-level forms are dated "Khánh Hòa, ngày …" (the units below inherit it); communes' from their own area.
  const root = add('UBND tỉnh Khánh Hòa', 'people_committee', null, `000.00.00.${level1}`, provinceId, { place_name: 'Khánh Hòa' });
  const office = add('Văn phòng UBND tỉnh', 'office', root, `000.00.01.${level1}`, null, { governing_body: 'UBND tỉnh Khánh Hòa' });
  // The provincial centre belongs to the province's office (NĐ 118/2025 Art. 7), whose full name heads its forms.
  const centre = add('Trung tâm Phục vụ hành chính công tỉnh', 'service_centre', office, `000.01.01.${level1}`, provinceId, { governing_body: 'Văn phòng UBND tỉnh Khánh Hòa', place_name: 'Khánh Hòa' });
  const places = new Map<DemoPlace, string>([
    ['root', root.id],
    ['provincial_centre', centre.id],
  ]);
  DEPARTMENTS.forEach((name, i) => {
    const dept = add(name, 'department', root, `000.00.${two(i + 2)}.${level1}`, null);
    if (i === 0) places.set('justice', dept.id);
  });
  communes.forEach((c, i) => {
    const n = two(20 + i);
    const ubnd = add(`UBND ${c.fullName.replace(/^(Phường|Xã|Đặc khu)/, (m) => m.toLowerCase())}`, 'people_committee', root, `000.00.${n}.${level1}`, c.id);
    add(`Trung tâm Phục vụ hành chính công ${c.fullName.replace(/^(Phường|Xã|Đặc khu)/, (m) => m.toLowerCase())}`, 'service_centre', ubnd, `000.01.${n}.${level1}`, c.id);
    if (i === 0) places.set('first_commune', ubnd.id);
  });
  return { rows, places };
}

async function insertDemoAccounts(tx: Tx, places: Map<DemoPlace, string>): Promise<void> {
  // One hash for every demo account: argon2 is deliberately slow, and these accounts share a password anyway.
  const hash = await hashPassword(DEMO_PASSWORD);
  const ids = new Map<string, string>();
  for (const a of DEMO_ACCOUNTS) {
    const citizen = a.role === null;
    const user = await tx
      .insertInto('users')
      .values({ kind: citizen ? 'citizen' : 'official', username: a.username, full_name: a.fullName, email: citizen ? DEMO_CITIZEN_CONTACT.email : null, phone: citizen ? DEMO_CITIZEN_CONTACT.phone : null, personal_id: citizen ? DEMO_CITIZEN_ID : null, password_hash: hash, locked_until: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.set(a.username, user.id);
    if (citizen) {
      const commune = await tx.selectFrom('admin_units').select('id').where('level', '=', 'commune').where('code', '=', DEMO_CITIZEN_PROFILE.communeCode).where('valid_to', 'is', null).executeTakeFirst();
      const p = DEMO_CITIZEN_PROFILE;
      await tx.insertInto('citizen_profiles').values({ user_id: user.id, date_of_birth: p.dateOfBirth, sex: p.sex, ethnicity: p.ethnicity, commune_id: commune?.id ?? null, street: commune ? p.street : null, updated_at: new Date() }).execute();
    }
    const orgUnitId = a.place ? places.get(a.place) : undefined;
    if (a.role && orgUnitId) await tx.insertInto('role_assignments').values({ user_id: user.id, org_unit_id: orgUnitId, role: a.role }).execute();
  }
  // The demo citizen had her identity checked at the provincial centre's counter, so what was recorded there for her
  // personal ID reaches her account (see the accounts module).
  await tx
    .updateTable('users')
    .set({ identity_verified_at: new Date(), identity_method: 'counter', identity_verified_by: ids.get('motcua.tinh') ?? null, identity_org_unit_id: places.get('provincial_centre') ?? null })
    .where('username', '=', DEMO_CITIZEN_ID)
    .execute();
}

/** The demo province's administrative units of both eras; skipped once they are in (one transaction). */
export async function seedDemoAdminUnits(db: Db): Promise<void> {
  if (await demoProvinceUnitId(db)) return;
  await importAdminUnits(db, systemActor('demo-seed'), await readBundledAdminUnitFiles(), DEMO_PROVINCE);
}

async function demoProvinceUnitId(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom('admin_units').select('id').where('level', '=', 'province').where('code', '=', DEMO_PROVINCE.code).where('valid_to', 'is', null).executeTakeFirst();
  return row?.id;
}

/** The demo org units and demo accounts on the province's current units, when there are no org units yet. */
export async function seedDemoOrgUnits(db: Db): Promise<void> {
  const any = await db.selectFrom('org_units').select('id').limit(1).executeTakeFirst();
  if (any) return;
  const actor = systemActor('demo-seed');
  const communes = await db
    .selectFrom('admin_units')
    .select(['id', 'full_name'])
    .where('level', '=', 'commune')
    .where('valid_to', 'is', null)
    .orderBy('code')
    .execute();
  const tree = buildOrgTree(await provinceLevel1Code(DEMO_PROVINCE.code), (await demoProvinceUnitId(db)) ?? '', communes.map((c) => ({ id: c.id, fullName: c.full_name })));
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('org_units').values(tree.rows).execute();
    await insertDemoAccounts(tx, tree.places);
    await recordAudit(tx, actor, { action: 'directory.demo_seeded', entityType: 'org_unit', entityId: tree.places.get('root') ?? '', after: { orgUnits: tree.rows.length, accounts: DEMO_ACCOUNTS.length } });
  });
}

/** Loads the demo province's administrative units, org units and demo accounts when the directory is empty. */
export async function seedDirectory(db: Db): Promise<void> {
  const any = await db.selectFrom('org_units').select('id').limit(1).executeTakeFirst();
  if (any) return;
  await seedDemoAdminUnits(db);
  await seedDemoOrgUnits(db);
}
