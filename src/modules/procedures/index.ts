// What other modules may use of the procedure catalogue.
export { decidingUnitsOf, receivingCentresOf } from './assign-procedures.ts';
export { type PaperRequirement, paperRequirementsOf } from './paper-requirements.ts';
export { DEFAULT_WORKFLOW, stepRoleLabelsVi, type WorkflowStep, workflowOf } from './workflow-definition.ts';
export { type FormField, formFieldsOf } from './form-fields.ts';
export { SEX_OPTIONS } from './eform.ts';
export { type AddressAnswer, type Answer, type AnswerInput, answerText, checkAnswers, type KeptAddress, sameAnswer } from './form-answers.ts';
export { type ProcessingTime, processingTimeOf } from './processing-time.ts';
export { type ProcedureInForce, procedureInForce } from './procedure-in-force.ts';
export { type HandledProcedure, proceduresHandled } from './procedures-handled.ts';
export { type VersionName, versionNames } from './version-names.ts';
export { electronicResultOf, issuesElectronicResult } from './electronic-result.ts';
export { type FeeTable, feeTableOf } from './fee-table.ts';
export { searchProcedures } from './search-procedures.ts';
