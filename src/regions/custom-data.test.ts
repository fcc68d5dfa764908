import { describe, expect, it } from 'vitest';
import { createResolver, type DivisionData } from './index.js';

// A made-up table: the resolver must work from names alone, not from anything national.
const data: DivisionData = {
  units: [
    { code: '91', name: '青川省' },
    { code: '9101', name: '白河市' },
    { code: '910102', name: '东城区' },
    { code: '910121', name: '柳溪县' },
    { code: '910121101', name: '石桥镇' },
    { code: '910171', name: '白河经济技术开发区' },
    { code: '9122', name: '云岭彝族自治州' },
    { code: '912201', name: '云岭市' },
    { code: '912222', name: '青松苗族自治县' },
    { code: '92', name: '丹江省' },
    { code: '9201', name: '红石市' },
    { code: '920102', name: '东城区' },
  ],
  renames: [{ old: '柳溪市', code: '910121', note: 'made up' }],
};

describe('createResolver over a caller table', () => {
  const resolver = createResolver(data);

  it('derives the short forms from the official names', () => {
    expect(resolver.resolve('云岭州云岭市').code).toBe('912201');
    expect(resolver.resolve('云岭彝族青松县').code).toBe('912222');
    expect(resolver.resolve('青川白河柳溪县石桥街道').code).toBe('910121101');
  });

  it('keeps ambiguity and context over the caller table', () => {
    expect(resolver.resolve('东城区').candidates).toEqual(['910102', '920102']);
    expect(resolver.resolve('丹江东城区').code).toBe('920102');
  });

  it('applies the caller renames and skips statistical-only units', () => {
    expect(resolver.resolve('柳溪市').code).toBe('910121');
    expect(resolver.resolve('白河经济技术开发区').status).toBe('unresolved');
  });

  it('accepts units in any order and rejects a unit without a parent', () => {
    const shuffled = { ...data, units: [...data.units].reverse() };
    expect(createResolver(shuffled).resolve('柳溪县').code).toBe('910121');
    expect(() =>
      createResolver({ units: [{ code: '9101', name: '孤儿市' }], renames: [] }),
    ).toThrow(/no parent/);
  });
});
