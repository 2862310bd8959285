export { EXPORT_KEEP_DAYS, type ExportKind, ExportRunner, type ExportSource, type ExportView, listExports, readExport, requestExport } from './export-jobs.ts';
export { type CellValue, type HeaderCell, type SheetLayout, sheetDay } from './sheet.ts';
export { exportJson, ExportViewSchema } from './schema.ts';
