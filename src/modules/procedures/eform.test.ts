import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Place } from '../directory/index.ts';
import { answersSchemaOf, type FormField, formDefinitionProblems } from './eform.ts';
import { checkFormAnswers } from './form-answers.ts';
import { DETAILED_FILE } from './demo-seed.ts';
import { deriveRequirements } from './paper-requirements.ts';
import { parseDetailedJson } from './parse-detailed.ts';
import { readEformSeeds, setupOfSeed } from './seed-eforms.ts';

const field = (f: Partial<FormField> & Pick<FormField, 'key' | 'kind'>): FormField => ({ label: f.key, required: false, options: [], help: null, group: null, prefill: null, source: null, ...f });
const nhaTrang: Place = { communeId: 'x', communeCode: '22366', communeName: 'Phường Nha Trang', provinceCode: '56', provinceName: 'Tỉnh Khánh Hòa' };

describe('answers to an e-form', () => {
  const fields = [
    field({ key: 'so_dinh_danh', kind: 'personal_id', required: true }),
    field({ key: 'dien_thoai', kind: 'phone' }),
    field({ key: 'noi_o', kind: 'address', required: true }),
    field({ key: 'cam_doan', kind: 'checkbox', required: true, label: 'Tôi cam đoan' }),
    field({ key: 'gioi_tinh', kind: 'select', options: ['Nam', 'Nữ'] }),
  ];
  it('are checked by kind, every problem at once, and kept with the address as one line', () => {
    const bad = checkFormAnswers(fields, { so_dinh_danh: '999190001234', dien_thoai: '912345678', noi_o: { commune: '22366', street: ' ' }, cam_doan: false, gioi_tinh: true }, true, new Map([['22366', nhaTrang]]));
    expect(bad.errors.map((e) => `${e.field}:${e.code}`)).toEqual(['fields.so_dinh_danh:personal_id_province', 'fields.dien_thoai:phone', 'fields.noi_o.street:required', 'fields.cam_doan:required', 'fields.gioi_tinh:type']);
    const good = checkFormAnswers(fields, { so_dinh_danh: '056190001234', noi_o: { commune: '22366', street: '25 Lê Thánh Tôn ' }, cam_doan: true }, true, new Map([['22366', nhaTrang]]));
    expect(good.errors).toEqual([]);
    expect(good.answers).toEqual({ so_dinh_danh: '056190001234', noi_o: { commune: '22366', street: '25 Lê Thánh Tôn', text: '25 Lê Thánh Tôn, Phường Nha Trang, Tỉnh Khánh Hòa' }, cam_doan: true });
  });

  it('meet a JSON Schema generated from the same definition', () => {
    const schema = answersSchemaOf(fields) as { required: string[]; properties: Record<string, { type: string; enum?: string[] }> };
    expect(schema.required).toEqual(['so_dinh_danh', 'noi_o', 'cam_doan']);
    expect(schema.properties.noi_o?.type).toBe('object');
    expect(schema.properties.gioi_tinh?.enum).toEqual(['Nam', 'Nữ']);
  });
});

describe('the papers derived from a published document list', () => {
  it('leave out notes and headings, and ask required what everyone brings (birth registration, 1.001193)', async () => {
    const parsed = parseDetailedJson(await readFile(DETAILED_FILE, 'utf8'));
    const birth = parsed.records.find((r) => r.nationalCode === '1.001193');
    const papers = deriveRequirements(birth?.documents ?? []);
    expect(papers.filter((p) => p.required).map((p) => p.name)).toEqual([
      'Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận về việc sinh; nếu không có người làm chứng thì phải có giấy cam đoan về việc sinh.',
    ]);
    expect(papers.some((p) => p.name.startsWith('Văn bản ủy quyền') && !p.required)).toBe(true);
    // Explanations ("…thì không phải nộp bản giấy"), the paper declaration and the interactive e-form are no slots.
    expect(papers.map((p) => p.name).filter((n) => /không phải nộp bản giấy|điện tử tương tác|^[-+]/.test(n))).toEqual([]);
  });
});

describe('the seeded e-forms (data/eforms)', () => {
  it('are well formed, name a source for every question and paper, and define valid forms', async () => {
    const seeds = await readEformSeeds();
    expect(seeds.map((s) => s.nationalCode).sort()).toEqual(['1.001193', '1.001612', '1.004194', '1.004222', '1.004873']);
    for (const seed of seeds) {
      const { fields, papers } = setupOfSeed(seed);
      expect(formDefinitionProblems(fields), seed.nationalCode).toEqual([]);
      expect(seed.fields.every((f) => f.source.length > 10) && seed.papers.every((p) => p.source.length > 10), seed.nationalCode).toBe(true);
      expect(fields.some((f) => f.prefill !== null), seed.nationalCode).toBe(true);
      expect(papers.every((p) => !/nếu có|^[-+]/i.test(p.name)), seed.nationalCode).toBe(true);
    }
  });
});
