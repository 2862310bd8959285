// What other modules may use of the directory (administrative units, org units, accounts).
export { orgUnitsAtLevel } from './org-units-at-level.ts';
export { type Letterhead, letterheadsOf } from './letterhead.ts';
export { DEMO_CITIZEN_ID } from './demo-accounts.ts';
export { personalIdMessages, validatePersonalId } from './personal-id.ts';
export { addressChoices, addressText, communesByCode, type Place } from './places.ts';
export { type CitizenProfile, citizenProfileOf } from './citizen-profile.ts';
export { ETHNIC_GROUPS } from './ethnic-groups.ts';
export { AddressInput } from './schema.ts';
