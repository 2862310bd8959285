import { collectRecords, parseChannel, parseChannels, parseFees, parseLevels, parseProcessingTime, text } from './parse-fields.ts';
import type { ChannelDetail, ParseResult, ProcedureRecord, RequiredDocument } from './procedure-record.ts';
import { CatalogueFormatError } from './parse-catalogue.ts';

interface DetailedEntry {
  readonly [key: string]: unknown;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

// The scrape appended the portal's page chrome after the result's code ("Mã: KQ.G01.00263Từ khóa…"): keep the text before it.
export function cleanResult(raw: string): string | null {
  const cut = raw.split(/Mã: KQ\.|Từ khóaKhông có thông tin/)[0] ?? '';
  return text(cut);
}

function documentsOf(entry: DetailedEntry): RequiredDocument[] {
  const list = Array.isArray(entry.thanh_phan_ho_so) ? (entry.thanh_phan_ho_so as DetailedEntry[]) : [];
  return list
    .map((d) => ({
      group: text(d.nhom),
      name: text(d.ten_giay_to) ?? '',
      copies: typeof d.so_luong === 'number' ? d.so_luong : null,
      copyType: text(d.loai_ban),
    }))
    .filter((d) => d.name !== '');
}

function channelDetailsOf(entry: DetailedEntry): ChannelDetail[] {
  const list = Array.isArray(entry.cach_thuc_thuc_hien) ? (entry.cach_thuc_thuc_hien as DetailedEntry[]) : [];
  return list.map((c) => ({
    channel: parseChannel(str(c.kenh)),
    channelRaw: str(c.kenh),
    processingTime: parseProcessingTime(str(c.thoi_han), str(c.don_vi_thoi_han) === 'Ngày' ? 'Ngày làm việc' : str(c.don_vi_thoi_han)),
    feeRaw: str(c.phi_le_phi),
    description: text(c.mo_ta),
  }));
}

function recordFrom(entry: DetailedEntry): ProcedureRecord {
  const details = channelDetailsOf(entry);
  const channels = [...new Set(details.map((d) => d.channel).filter((c) => c !== null))];
  const times = details.map((d) => d.processingTime).filter((t) => t.value !== null);
  const feeRaw = [...new Set(details.map((d) => d.feeRaw).filter((f) => f !== ''))].join('; ');
  const legal = Array.isArray(entry.can_cu_phap_ly) ? (entry.can_cu_phap_ly as DetailedEntry[]) : [];
  return {
    nationalCode: str(entry.ma_thu_tuc).trim(),
    name: text(entry.ten_thu_tuc) ?? '',
    sector: text(entry.linh_vuc) ?? '',
    ministry: text(entry.bo_nganh_thu_muc),
    procedureType: text(entry.loai_thu_tuc),
    decisionRef: text(entry.so_quyet_dinh),
    levels: parseLevels(str(entry.cap_thuc_hien)),
    channels: channels.length > 0 ? channels : parseChannels(str(entry.kenh_nop)),
    onlineLevel: channels.includes('online') ? 'partial' : 'none',
    processingTime: times.length > 0 ? parseProcessingTime(times.map((t) => t.raw).join('; '), 'Ngày làm việc') : { raw: '', value: null, unit: null },
    fees: parseFees(feeRaw),
    feeRaw,
    documents: documentsOf(entry),
    channelDetails: details,
    steps: text(entry.trinh_tu_thuc_hien),
    requirements: text(entry.yeu_cau_dieu_kien),
    result: cleanResult(str(entry.ket_qua_xu_ly)),
    legalBasis: legal.map((l) => ({ title: text(l.ten_van_ban) ?? '', number: text(l.so_ky_hieu) ?? '' })).filter((l) => l.number !== '' || l.title !== ''),
    applicants: text(entry.doi_tuong_thuc_hien),
    implementingAgency: text(entry.co_quan_thuc_hien),
    decidingAgency: text(entry.co_quan_co_tham_quyen),
    sourceUrl: text(entry.detail_url),
    detailLevel: 'detailed',
  };
}

/** Parses the detailed JSON (steps, documents, per-channel time and fee, legal basis). */
export function parseDetailedJson(jsonText: string): ParseResult {
  let data: unknown;
  try {
    data = JSON.parse(jsonText);
  } catch (error) {
    throw new CatalogueFormatError(`Tệp JSON không đọc được: ${(error as Error).message}`);
  }
  if (!Array.isArray(data)) throw new CatalogueFormatError('Tệp JSON phải là một danh sách thủ tục');
  const entries = data.map((entry) => (typeof entry === 'object' && entry !== null ? recordFrom(entry as DetailedEntry) : null));
  return collectRecords(entries, (i) => i + 1);
}
