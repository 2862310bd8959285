// What other modules may use of the directory (administrative units, org units, accounts).
export { orgUnitsAtLevel } from './org-units-at-level.ts';
export { type Letterhead, letterheadsOf } from './letterhead.ts';
export { DEMO_CITIZEN_ID } from './demo-accounts.ts';
