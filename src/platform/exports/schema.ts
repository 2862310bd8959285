import { Type } from 'typebox';
import type { ExportView } from './export-jobs.ts';

/** An export as the API shows it: its state, progress and, once written, where to download it. */
export const ExportViewSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: Type.String(),
  title: Type.String(),
  fileName: Type.String(),
  status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  rowsDone: Type.Integer(),
  rowsTotal: Type.Union([Type.Integer(), Type.Null()], { description: 'lines the file will have; null until the export starts' }),
  byteSize: Type.Union([Type.Integer(), Type.Null()]),
  requestedAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  expiresAt: Type.String({ format: 'date-time', description: 'the file is deleted after this instant' }),
  fileUrl: Type.Union([Type.String(), Type.Null()], { description: 'where to download the file once status is done' }),
});

export const exportJson = (v: ExportView) => ({
  ...v,
  requestedAt: v.requestedAt.toISOString(),
  finishedAt: v.finishedAt?.toISOString() ?? null,
  expiresAt: v.expiresAt.toISOString(),
  fileUrl: v.status === 'done' ? `/api/v1/exports/${v.id}/file` : null,
});
