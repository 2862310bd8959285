// What other modules may use of the procedure catalogue.
export { decidingUnitsOf } from './assign-procedures.ts';
export { type PaperRequirement, paperRequirementsOf } from './paper-requirements.ts';
