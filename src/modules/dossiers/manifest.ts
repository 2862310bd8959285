import type { ModuleManifest } from '../../platform/modules/manifest.ts';
import { sendDueAlerts } from './due-alerts.ts';
import { ensureDossierCounts } from './dossier-counts.ts';
import { dossierPermissions, dossierRoles } from './permissions.ts';
import { dossierRoutes } from './routes.tsx';
import { registerExportKind } from './register-export.ts';

/** The one-stop back office and the citizens' side of it: dossiers from submission to result. */
export const dossiersModule: ModuleManifest = {
  name: 'dossiers',
  tables: ['dossiers', 'dossier_events', 'dossier_ratings', 'payments', 'payment_callbacks', 'digitised_records', 'dossier_papers', 'dossier_answers'],
  permissions: dossierPermissions,
  roles: dossierRoles,
  navigation: [
    { href: '/tra-cuu-ho-so', labelVi: 'Tra cứu hồ sơ', group: 'public', audience: 'everyone' },
    { href: '/dich-vu-cong/ho-so', labelVi: 'Hồ sơ của tôi', group: 'citizen', audience: 'citizen' },
    { href: '/dich-vu-cong/kho-giay-to', labelVi: 'Kho giấy tờ', group: 'citizen', audience: 'citizen' },
    // Officers land on their work queue; reporting officers, who read no dossier, on the figures.
    { href: '/mot-cua', labelVi: 'Xử lý hồ sơ', group: 'work', audience: { permission: 'dossiers.read' }, landingRank: 10 },
    { href: '/mot-cua/so-theo-doi', labelVi: 'Sổ theo dõi', group: 'work', audience: { permission: 'dossiers.register' }, landingRank: 15 },
    // The register is the module's export: whoever may export it finds the files they asked for here.
    { href: '/tai-ve', labelVi: 'Tệp đã xuất', group: 'work', audience: { permission: 'dossiers.register' } },
    { href: '/thong-ke/ho-so', labelVi: 'Thống kê', group: 'work', audience: { permission: 'dossiers.statistics' }, landingRank: 20 },
  ],
  routes: (s) => dossierRoutes(s),
  exports: () => [registerExportKind],
  // Deadline warnings: every 10 minutes is far inside the one working day of notice they must give.
  jobs: (s) => [
    { name: 'due alerts', everyMs: 10 * 60_000, runAtStart: true, run: async () => sendDueAlerts(s.db, await s.calendar.get(), s.clock.now()) },
    { name: 'dossier counts', everyMs: 24 * 3_600_000, runAtStart: true, run: () => ensureDossierCounts(s.db, s.clock.now()) },
  ],
};
