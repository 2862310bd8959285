import type { FormKind } from './form-templates.ts';
import type { DossierView } from './schema.ts';

/** The forms printed for one dossier (the register covers many). */
export type DossierFormKind = Exclude<FormKind, 'register'>;

/** Each form's address under a dossier's page (`…/ho-so/{id}/phieu/{slug}.pdf`) and its name in the API. */
export const formSlugs: Readonly<Record<DossierFormKind, string>> = {
  receipt: 'giay-tiep-nhan',
  supplement_request: 'yeu-cau-bo-sung',
  refusal: 'tu-choi',
  apology: 'xin-loi',
  stop_notice: 'dung-giai-quyet',
  control_slip: 'kiem-soat',
};

export const DOSSIER_FORM_KINDS = Object.keys(formSlugs) as DossierFormKind[];

type Timeline = Pick<DossierView, 'events'>;
const happened = (d: Timeline, action: string) => d.events.some((e) => e.action === action);

/**
 * Why a form does not exist for this dossier, or null when it does: each form records something that happened on
 * the timeline. A dossier never received (still submitted, refused, withdrawn before reception) has no receipt slip
 * and no control slip; a stop notice answers a stop, or a withdrawal of a dossier under way.
 */
export function whyNoForm(d: Timeline, kind: DossierFormKind): string | null {
  const received = happened(d, 'receive');
  switch (kind) {
    case 'receipt':
    case 'control_slip':
      return received ? null : 'Hồ sơ chưa được tiếp nhận nên chưa có giấy tiếp nhận, hẹn trả kết quả và phiếu kiểm soát.';
    case 'supplement_request':
      return happened(d, 'request_supplement') ? null : 'Hồ sơ chưa được yêu cầu bổ sung, hoàn thiện.';
    case 'refusal':
      return happened(d, 'refuse') ? null : 'Hồ sơ không bị từ chối tiếp nhận.';
    case 'apology':
      return happened(d, 'extend') ? null : 'Hồ sơ chưa được xin lỗi và hẹn lại ngày trả kết quả.';
    case 'stop_notice':
      return happened(d, 'stop') || (received && happened(d, 'withdraw')) ? null : 'Hồ sơ không bị dừng giải quyết.';
  }
}

/** The forms this dossier has, in the order the page lists them. */
export const formsOf = (d: Timeline): DossierFormKind[] => DOSSIER_FORM_KINDS.filter((k) => whyNoForm(d, k) === null);
