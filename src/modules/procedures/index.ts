// What other modules may use of the procedure catalogue.
export { decidingUnitsOf } from './assign-procedures.ts';
export { type PaperRequirement, paperRequirementsOf } from './paper-requirements.ts';
export { DEFAULT_WORKFLOW, stepRoleLabelsVi, type WorkflowStep, workflowOf } from './workflow-definition.ts';
export { checkFormAnswers, type FormField, formFieldsOf } from './form-fields.ts';
export { processingTimeOf } from './processing-time.ts';
