import type { ModuleManifest } from '../../platform/modules/manifest.ts';
import { auditRoutes } from './routes-audit.tsx';
import { calendarRoutes } from './routes-calendar.tsx';
import { numberingRoutes } from './routes-numbering.tsx';
import { outboxRoutes } from './routes-outbox.tsx';
import { ruleSetRoutes } from './routes-rules.tsx';

/**
 * The administrators' pages over the kernel: working calendar, audit log, outbox, numbering series and rule sets.
 * It owns no tables; it works through the kernel's functions.
 */
export const administrationModule: ModuleManifest = {
  name: 'administration',
  tables: [],
  permissions: {},
  navigation: [
    // The calendar, the outbox and the numbering series are the province's: only its root administrators see them.
    { href: '/quan-tri/lich', labelVi: 'Lịch làm việc', group: 'admin', audience: { permission: 'calendar.manage', atRoot: true } },
    { href: '/quan-tri/nhat-ky', labelVi: 'Nhật ký', group: 'admin', audience: { permission: 'audit.read' } },
    { href: '/quan-tri/hop-thu', labelVi: 'Hộp thư đi', group: 'admin', audience: { permission: 'outbox.manage', atRoot: true } },
    { href: '/quan-tri/danh-so', labelVi: 'Dãy số', group: 'admin', audience: { permission: 'numbering.manage', atRoot: true } },
    { href: '/quan-tri/quy-tac', labelVi: 'Quy tắc xử lý', group: 'admin', audience: { permission: 'rules.read' } },
  ],
  routes: (s) => async (app) => {
    await auditRoutes(s)(app);
    await calendarRoutes(s)(app);
    await outboxRoutes(s)(app);
    await numberingRoutes(s)(app);
    ruleSetRoutes(s)(app);
  },
};
