import { describe, expect, it } from 'vitest';
import { maskAddress, maskIdNumber, maskName, maskPhone } from './masking.js';
import { isPlausiblePhone, normalizePhone } from './normalize.js';

describe('masking for display', () => {
  it('masks a mobile number as 138****5678', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138-1234-5678')).toBe('138****5678');
  });

  it('keeps only the family name of a Chinese name', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('王')).toBe('*');
  });

  it('keeps the start of an address and hides the rest', () => {
    expect(maskAddress('北京市朝阳区建国路88号SOHO现代城A座1201')).toBe('北京市朝阳区****');
  });

  it('hides all but the first and last character of an ID number', () => {
    expect(maskIdNumber('11010519491231002x')).toBe('1****************X');
  });
});

describe('phone normalisation', () => {
  it('indexes the same number written differently as one value', () => {
    const forms = [
      '13812345678',
      '+86 138 1234 5678',
      '0086-138-1234-5678',
      '８６１３８１２３４５６７８',
      '138-1234-5678',
    ];
    expect(new Set(forms.map(normalizePhone))).toEqual(new Set(['13812345678']));
  });

  it('accepts mobiles and landlines and refuses words', () => {
    expect(isPlausiblePhone('13812345678')).toBe(true);
    expect(isPlausiblePhone('010-88886666')).toBe(true);
    expect(isPlausiblePhone('hello')).toBe(false);
    expect(isPlausiblePhone('12345')).toBe(false);
  });
});
