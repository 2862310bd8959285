import { describe, expect, it } from 'vitest';
import { parseDateInput, withIsoDates } from './time.ts';

describe('dates as people type them', () => {
  it('reads dd/MM/yyyy, with other separators and without leading zeros, and YYYY-MM-DD', () => {
    expect(parseDateInput('01/12/2026')).toBe('2026-12-01');
    expect(parseDateInput(' 1/2/2026 ')).toBe('2026-02-01');
    expect(parseDateInput('29-02-2028')).toBe('2028-02-29');
    expect(parseDateInput('30.04.2026')).toBe('2026-04-30');
    expect(parseDateInput('2026-12-01')).toBe('2026-12-01');
  });

  it('refuses what is not a real date', () => {
    for (const bad of ['31/02/2026', '29/02/2027', '00/01/2026', '12/13/2026', '2026-13-01', '1/1/26', 'hôm nay', "1/1/2026'; DROP TABLE dossiers;--", '']) {
      expect(parseDateInput(bad), bad).toBeNull();
    }
  });

  it('converts only the named fields, leaving what does not parse as typed for the validation to report', () => {
    expect(withIsoDates({ from: '01/01/2026', to: '31/02/2026', q: '01/01/2026' }, ['from', 'to'])).toEqual({ from: '2026-01-01', to: '31/02/2026', q: '01/01/2026' });
  });
});
