import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BIRTH_PROVINCE_CODES, validatePersonalId } from './personal-id.ts';

const now = new Date('2026-11-24T00:00:00Z');
const provinces = [...BIRTH_PROVINCE_CODES];

describe('personal identification number', () => {
  it('decodes province, sex and birth year', () => {
    expect(validatePersonalId('056190001234', now)).toEqual({ ok: true, provinceCode: '056', sex: 'female', birthYear: 1990 });
    expect(validatePersonalId('079205000001', now)).toEqual({ ok: true, provinceCode: '079', sex: 'male', birthYear: 2005 });
  });

  it('refuses wrong length, letters, unknown provinces and future birth years', () => {
    expect(validatePersonalId('05619000123', now)).toEqual({ ok: false, reason: 'format' });
    expect(validatePersonalId('05619000123a', now)).toEqual({ ok: false, reason: 'format' });
    expect(validatePersonalId('003190001234', now)).toEqual({ ok: false, reason: 'province' });
    expect(validatePersonalId('056230001234', now)).toEqual({ ok: false, reason: 'birth_year_future' });
    expect(validatePersonalId('056426001234', now)).toEqual({ ok: false, reason: 'birth_year_future' });
  });

  it('accepts every generated valid number and reads back what was encoded', () => {
    const valid = fc.record({
      province: fc.constantFrom(...provinces),
      year: fc.integer({ min: 1900, max: 2026 }),
      female: fc.boolean(),
      rest: fc.stringMatching(/^\d{6}$/),
    });
    fc.assert(
      fc.property(valid, ({ province, year, female, rest }) => {
        const digit = (year < 2000 ? 0 : 2) + (female ? 1 : 0);
        const id = `${province}${digit}${String(year % 100).padStart(2, '0')}${rest}`;
        expect(validatePersonalId(id, now)).toEqual({ ok: true, provinceCode: province, sex: female ? 'female' : 'male', birthYear: year });
      }),
    );
  });

  it('never accepts a string that is not 12 digits', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^\d{12}$/.test(s)),
        (s) => {
          expect(validatePersonalId(s, now).ok).toBe(false);
        },
      ),
    );
  });
});
