import { parse } from 'csv-parse/sync';
import { collectRecords, parseChannels, parseFees, parseLevels, parseProcessingTime, text } from './parse-fields.ts';
import type { ParseResult, ProcedureRecord } from './procedure-record.ts';

const REQUIRED_COLUMNS = ['ma_thu_tuc', 'ten_thu_tuc', 'cap_thuc_hien', 'linh_vuc', 'kenh_nop', 'thoi_han_giai_quyet', 'phi_le_phi'];

export class CatalogueFormatError extends Error {}

/** Parses the national catalogue CSV (one row per procedure, summary fields only). */
export function parseCatalogueCsv(csvText: string): ParseResult {
  let rows: Record<string, string>[];
  try {
    rows = parse(csvText, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: true });
  } catch (error) {
    throw new CatalogueFormatError(`Tệp CSV không đọc được: ${(error as Error).message}`);
  }
  const header = rows[0] ? Object.keys(rows[0]) : [];
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new CatalogueFormatError(`Tệp CSV thiếu cột: ${missing.join(', ')}`);
  // Row numbers count the header as row 1, as a spreadsheet shows them.
  return collectRecords(rows.map(recordFromRow), (i) => i + 2);
}

function recordFromRow(row: Record<string, string>): ProcedureRecord {
  const channels = parseChannels(row.kenh_nop ?? '');
  return {
    nationalCode: (row.ma_thu_tuc ?? '').trim(),
    name: text(row.ten_thu_tuc) ?? '',
    sector: text(row.linh_vuc) ?? '',
    ministry: text(row.bo_nganh_thu_muc),
    procedureType: text(row.loai_thu_tuc),
    decisionRef: text(row.so_quyet_dinh),
    levels: parseLevels(row.cap_thuc_hien ?? ''),
    channels,
    // The catalogue does not say whether online service is full or partial: "partial" until the province decides.
    onlineLevel: channels.includes('online') ? 'partial' : 'none',
    processingTime: parseProcessingTime(row.thoi_han_giai_quyet ?? ''),
    fees: parseFees(row.phi_le_phi ?? ''),
    feeRaw: (row.phi_le_phi ?? '').trim(),
    documents: [],
    channelDetails: [],
    steps: null,
    requirements: null,
    result: null,
    legalBasis: [],
    applicants: text(row.doi_tuong_thuc_hien),
    implementingAgency: text(row.co_quan_thuc_hien),
    decidingAgency: text(row.co_quan_co_tham_quyen),
    sourceUrl: text(row.detail_url),
    detailLevel: 'summary',
  };
}
