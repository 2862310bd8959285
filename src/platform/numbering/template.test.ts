import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNumber, renderNumber, templateProblems } from './template.ts';

const DOSSIER = { parts: ['agency'], reset: 'daily' } as const;
const DOCUMENT = { parts: ['type', 'unit'], reset: 'yearly' } as const;
const codes = (template: string, series: { parts: readonly string[]; reset: 'none' | 'daily' | 'yearly' }) => templateProblems(template, series).map((p) => p.code);

describe('number templates', () => {
  it('renders the dossier code of TT 01/2018 and the document numbers of NĐ 30/2020', () => {
    expect(renderNumber('{agency}-{yyMMdd}-{seq:4}', { date: '2026-11-24', seq: 7, parts: { agency: '000.00.20.H32' } })).toBe('000.00.20.H32-261124-0007');
    expect(renderNumber('{agency}-{yyMMdd}-{seq:4}', { date: '2026-11-24', seq: 12345, parts: { agency: '000.00.20.H32' } })).toBe('000.00.20.H32-261124-12345');
    expect(renderNumber('{seq:2}/{yyyy}/{type}-{unit}', { date: '2026-03-05', seq: 5, parts: { type: 'QĐ', unit: 'UBND' } })).toBe('05/2026/QĐ-UBND');
    expect(renderNumber('{seq}/{type}-{unit}', { date: '2026-03-05', seq: 123, parts: { type: 'TB', unit: 'UBND' } })).toBe('123/TB-UBND');
    expect(renderNumber('{yyyy}{MM}{dd}.{yy}.{yyyyMMdd}-{seq:7}', { date: '2026-06-09', seq: 92637 })).toBe('20260609.26.20260609-0092637');
  });

  it('refuses to render a part the caller did not supply', () => {
    expect(() => renderNumber('{agency}-{seq}', { date: '2026-01-01', seq: 1 })).toThrow('{agency}');
  });

  it('reads back what it renders, in every format', () => {
    const agency = fc.stringMatching(/^(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}|[A-Z]\d{2}(\.\d{2}){0,2})$/);
    const unit = fc.stringMatching(/^[A-ZĐ]{1,6}(-[A-ZĐ]{1,4})?$/);
    const type = fc.stringMatching(/^[A-ZĐ][A-Za-zĐ]{0,3}$/);
    const date = fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    const template = fc.constantFrom('{agency}-{yyMMdd}-{seq:4}', '{agency}-{yyyyMMdd}-{seq:7}', '{seq:2}/{yyyy}/{type}-{unit}', '{unit}/{yyyy}{MM}{dd}/{seq}', '{seq:2}/{type}-{unit}');
    fc.assert(
      fc.property(template, agency, unit, type, date, fc.integer({ min: 1, max: 9_999_999 }), (t, a, u, ty, d, seq) => {
        const parts = { agency: a, unit: u, type: ty };
        const parsed = parseNumber(t, renderNumber(t, { date: d, seq, parts }));
        expect(parsed?.seq).toBe(seq);
        for (const p of ['agency', 'unit', 'type'] as const) if (t.includes(`{${p}}`)) expect(parsed?.parts[p]).toBe(parts[p]);
        if (t.includes('MMdd') || t.includes('{dd}')) expect(parsed?.date).toBe(d);
        if (t.includes('yyyy')) expect(parsed?.year).toBe(d.slice(0, 4));
      }),
    );
  });

  it('rejects numbers of another shape', () => {
    expect(parseNumber('{agency}-{yyMMdd}-{seq:4}', '000.00.20.H32-261124-07')).toBeNull();
    expect(parseNumber('{agency}-{yyMMdd}-{seq:4}', "000.00.20.H32-261124-0007' OR 1=1")).toBeNull();
    expect(parseNumber('{seq:2}/{yyyy}/{type}-{unit}', '5/2026/QĐ-UBND')).toBeNull();
  });

  it('accepts the templates in use', () => {
    expect(templateProblems('{agency}-{yyMMdd}-{seq:4}', DOSSIER)).toEqual([]);
    expect(templateProblems('{agency}-{yyyyMMdd}-{seq:7}', DOSSIER)).toEqual([]);
    expect(templateProblems('{seq:2}/{yyyy}/{type}-{unit}', DOCUMENT)).toEqual([]);
    expect(templateProblems('{seq:2}/{type}-{unit}', DOCUMENT)).toEqual([]);
  });

  it('names every problem of a bad template at once', () => {
    expect(codes('{agency}-{yyMMdd}', DOSSIER)).toEqual(['missing_seq']);
    expect(codes('{agency}-{ngay}-{seq:4}-{type}', DOSSIER).sort()).toEqual(['missing_day', 'part_not_supplied', 'unknown_token']);
    expect(codes('{yyMMdd}-{seq:0}-{seq}', DOSSIER).sort()).toEqual(['bad_width', 'duplicate_seq', 'missing_part']);
    expect(codes('{agency}-{yyMMdd}-{seq:4', DOSSIER).sort()).toEqual(['missing_seq', 'unbalanced']);
    expect(codes('{agency}-{yyyy}-{seq:4}', DOSSIER)).toEqual(['missing_day']);
    expect(codes('{agency:3}-{yyMMdd}-{seq:4}', DOSSIER)).toEqual(['bad_width']);
    expect(codes(`{agency}-{yyMMdd}-{seq:4}${'x'.repeat(200)}`, DOSSIER)).toEqual(['too_long']);
    const message = templateProblems('{agency}-{ngay}-{seq}', DOSSIER).find((p) => p.code === 'unknown_token')?.messageVi;
    expect(message).toContain('{ngay}');
  });
});
