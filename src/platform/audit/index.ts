export { type Actor, type AuditInput, recordAudit, systemActor } from './audit-log.ts';
export { type AuditKey, type Checkpoint, checkpointDir, type StreamHead, writeCheckpoint } from './checkpoints.ts';
export { type AuditProblem, type AuditVerification, verifyAuditLog } from './verify-audit-log.ts';
