import { type Actor, systemActor } from '../../platform/audit/audit-log.ts';
import type { CurrentUser } from '../../platform/auth/permissions.ts';
import { activeUser } from '../../platform/auth/sessions.ts';
import type { WorkingCalendar } from '../../platform/calendar/working-calendar.ts';
import type { Db } from '../../platform/db/database.ts';
import { DEMO_CITIZEN_ID } from '../directory/index.ts';
import { paperRequirementsOf, proceduresHandled } from '../procedures/index.ts';
import { actOnDossier } from './act-on-dossier.ts';
import type { DossierAction } from './status.ts';
import { localDateOf } from '../../platform/time.ts';
import type { FileStore } from '../../platform/files/file-store.ts';
import { storeUpload } from '../../platform/files/store-upload.ts';
import { uploadFromBuffer } from '../../platform/http/multipart.ts';
import { renderPdf } from '../../platform/pdf/render-pdf.ts';
import { type Party, signPdf } from '../../platform/signing/sign-pdf.ts';
import type * as pkijs from 'pkijs';
import { submitOnline } from './submit-dossier.ts';

/** How the demo signs the result it issues: the demo CA's signer, and the store the signed PDF is uploaded to. */
export interface ResultSigning {
  readonly files: FileStore;
  readonly signer: Party;
  readonly chain: readonly pkijs.Certificate[];
}

/**
 * The result the demo leader issues: a decision rendered as a PDF and signed with the demo CA's certificate, uploaded
 * as the leader would upload it (so it is verified like any upload).
 */
async function signedResult(db: Db, signing: ResultSigning, leader: CurrentUser, actor: Actor, title: { code: string | null; procedure: string; number: string }): Promise<string> {
  const pdf = await renderPdf({
    content: [
      { text: 'SỞ TƯ PHÁP TỈNH KHÁNH HÒA', bold: true },
      { text: `Số: ${title.number}`, margin: [0, 4, 0, 12] },
      { text: 'QUYẾT ĐỊNH', bold: true, alignment: 'center', fontSize: 14 },
      { text: `Giải quyết hồ sơ ${title.code ?? ''}: ${title.procedure}`, alignment: 'center', margin: [0, 4, 0, 12] },
      'Kết quả giải quyết thủ tục hành chính (dữ liệu mẫu, ký số bằng chứng thư của CA dữ liệu mẫu CQS).',
    ],
  });
  const signed = await signPdf(pdf, signing.signer, { chain: signing.chain });
  return (await storeUpload(db, signing.files, actor, leader.id, 'fileIds', uploadFromBuffer('ket-qua-giai-quyet.pdf', signed))).id;
}

/** One of the demo citizen's dossiers: how far it has gone, and who took each step. */
interface Journey {
  readonly key: string;
  readonly steps: readonly { readonly by: 'counter' | 'specialist' | 'leader'; readonly action: DossierAction; readonly note?: string; readonly amountVnd?: number; readonly feeOverrideReason?: string; readonly resultNumber?: string }[];
}

// Each waits for the citizen in a different way, so the portal shows every part of the journey on a first visit.
const JOURNEYS: readonly Journey[] = [
  { key: 'demo-cong-dan-1', steps: [] },
  {
    key: 'demo-cong-dan-2',
    steps: [
      { by: 'counter', action: 'receive' },
      { by: 'counter', action: 'start_processing' },
      { by: 'specialist', action: 'request_supplement', note: 'Bổ sung bản sao căn cước có chứng thực và tờ khai theo mẫu có chữ ký của người yêu cầu.' },
    ],
  },
  {
    key: 'demo-cong-dan-3',
    steps: [
      { by: 'counter', action: 'receive' },
      { by: 'counter', action: 'start_processing' },
      // The demo procedure is published free of charge: a fee for extra certified copies is asked with its reason.
      { by: 'specialist', action: 'request_fee', note: 'Phí cấp bản sao theo đề nghị của người nộp', amountVnd: 50_000, feeOverrideReason: 'Người nộp đề nghị cấp thêm hai bản sao có chứng thực' },
    ],
  },
  {
    key: 'demo-cong-dan-4',
    steps: [
      { by: 'counter', action: 'receive' },
      { by: 'counter', action: 'start_processing' },
      { by: 'specialist', action: 'forward' },
      { by: 'leader', action: 'decide', resultNumber: '125/QĐ-STP' },
      { by: 'counter', action: 'deliver_result' },
    ],
  },
];

async function demoUsers(db: Db): Promise<Record<'citizen' | 'counter' | 'specialist' | 'leader', CurrentUser> | null> {
  const [citizen, counter, specialist, leader] = await Promise.all(
    [DEMO_CITIZEN_ID, 'motcua.tinh', 'chuyenvien.stp', 'lanhdao.stp'].map((username) => activeUser(db, { username })),
  );
  return citizen && counter && specialist && leader ? { citizen, counter, specialist, leader } : null;
}

/** A procedure of the demo's Sở Tư pháp offered online that asks for no paper, so the seed needs no files. */
export async function demoProcedure(db: Db) {
  const units = (await db.selectFrom('org_units').select('id').where('name', '=', 'Sở Tư pháp').execute()).map((u) => u.id);
  const candidates = (await proceduresHandled(db, units))
    .filter((p) => p.channels.includes('online') && p.processing.unit === 'working_day')
    .sort((a, b) => (a.nationalCode < b.nationalCode ? -1 : a.nationalCode > b.nationalCode ? 1 : 0));
  for (const p of candidates) {
    const { requirements } = await paperRequirementsOf(db, p.versionId);
    if (!requirements.some((r) => r.required)) return { nationalCode: p.nationalCode, name: p.name, unitId: p.orgUnitId };
  }
  return undefined;
}

/** How many of the journey's steps the dossier's timeline already shows, in order (each step is one event). */
async function stepsTaken(db: Db, dossierId: string, journey: Journey): Promise<number> {
  const events = await db.selectFrom('dossier_events').select('action').where('dossier_id', '=', dossierId).orderBy('id').execute();
  let taken = 0;
  for (const e of events) if (e.action === journey.steps[taken]?.action) taken++;
  return taken;
}

/**
 * The demo citizen's own dossiers, made through the same use cases as real ones (codes, timelines, notifications,
 * audit): one waiting to be received, one asked for a supplement, one with a fee to pay, one returned and ready to
 * rate. Run again, it finds them by their idempotency keys, finishes a journey left half-way and changes nothing else.
 */
export async function seedDemoCitizenDossiers(db: Db, calendar: WorkingCalendar, actor: Actor = systemActor('demo-seed'), signing?: ResultSigning): Promise<number> {
  const users = await demoUsers(db);
  const procedure = await demoProcedure(db);
  if (!users || !procedure) return 0;
  let made = 0;
  for (const j of JOURNEYS) {
    const request = `Đề nghị giải quyết thủ tục: ${procedure.name}.`;
    const input = { procedureCode: procedure.nationalCode, decidingOrgUnitId: procedure.unitId, address: '25 Lê Thánh Tôn, phường Nha Trang', request };
    const { dossier, created } = await submitOnline(db, { calendar, now: new Date() }, users.citizen, actor, input, j.key);
    let version = dossier.row_version;
    // A load cut short may have left a journey half-way: go on from the first step not on its timeline.
    for (const step of j.steps.slice(created ? 0 : await stepsTaken(db, dossier.id, j))) {
      const next = await actOnDossier(db, { calendar, now: new Date() }, users[step.by], actor, dossier.id, {
        action: step.action,
        expectedVersion: version,
        note: step.note,
        amountVnd: step.amountVnd,
        feeOverrideReason: step.feeOverrideReason,
        // The decision records the result it issued, dated the day it is taken: signed by the demo CA when the demo has
        // one, else on paper.
        ...(step.resultNumber ? { resultNumber: step.resultNumber, resultIssuedOn: localDateOf(new Date()) } : {}),
        ...(step.resultNumber && signing ? { fileIds: [await signedResult(db, signing, users[step.by], actor, { code: dossier.code, procedure: procedure.name, number: step.resultNumber })] } : {}),
      });
      version = next.row_version;
    }
    if (created) made++;
  }
  return made;
}
