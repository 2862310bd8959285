import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldVietnamese, normaliseVietnamese, searchTokens } from './vietnamese.ts';

describe('Vietnamese text', () => {
  it('folds diacritics and đ', () => {
    expect(foldVietnamese('Đăng ký khai sinh')).toBe('dang ky khai sinh');
    expect(foldVietnamese('  Phường   Nha Trang, TỈNH KHÁNH HÒA ')).toBe('phuong nha trang tinh khanh hoa');
    expect(foldVietnamese('Thủy lợi – Thuỷ sản')).toBe('thuy loi thuy san');
  });

  it('normalises tone placement only at the end of the syllable', () => {
    expect(normaliseVietnamese('Khánh Hoà')).toBe('Khánh Hòa');
    expect(normaliseVietnamese('Thuỷ Nguyên')).toBe('Thủy Nguyên');
    expect(normaliseVietnamese('HOÀ')).toBe('HÒA');
    expect(normaliseVietnamese('hoàn thành')).toBe('hoàn thành');
    expect(normaliseVietnamese('khoẻ')).toBe('khỏe');
    expect(normaliseVietnamese('Quý Quỳ')).toBe('Quý Quỳ');
    expect(normaliseVietnamese('Khánh Hòa')).toBe('Khánh Hòa');
  });

  it('turns decomposed input into the same string as composed input', () => {
    expect(normaliseVietnamese('Hòa'.normalize('NFD'))).toBe('Hòa');
  });

  it('makes search tokens', () => {
    expect(searchTokens('Đăng ký  đăng KÝ khai-sinh')).toEqual(['dang', 'ky', 'khai', 'sinh']);
    expect(searchTokens("%' OR 1=1 --")).toEqual(['or', '1']);
  });

  it('folding is idempotent and yields only a-z, 0-9 and single spaces', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const f = foldVietnamese(s);
        expect(foldVietnamese(f)).toBe(f);
        expect(f).toMatch(/^([a-z0-9]+( [a-z0-9]+)*)?$/);
      }),
    );
  });

  it('normalisation is idempotent and keeps the folded form', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'oaàòhuỷýyeèẹ HÒAUỶ'.split('')) }), (s) => {
        const n = normaliseVietnamese(s);
        expect(normaliseVietnamese(n)).toBe(n);
        expect(foldVietnamese(n)).toBe(foldVietnamese(s));
      }),
    );
  });
});
