import { describe, expect, it } from 'vitest';
import {
  divisionAncestors,
  divisionName,
  divisionPath,
  isStatisticalOnly,
  isWithin,
  levelOfCode,
} from './index.js';

describe('divisionAncestors', () => {
  it('walks a town up to its county, prefecture and province as 6-digit codes', () => {
    expect(divisionAncestors('510117006')).toEqual(['510117', '510100', '510000']);
  });

  it('leaves out the placeholder level of municipalities and 省直辖 units', () => {
    expect(divisionAncestors('110105')).toEqual(['110000']);
    expect(divisionAncestors('429005')).toEqual(['420000']);
    expect(divisionAncestors('469028102')).toEqual(['469028', '460000']);
  });

  it('lists a city without counties once (东莞 441900)', () => {
    expect(divisionAncestors('441900114')).toEqual(['441900', '440000']);
    expect(divisionAncestors('441900')).toEqual(['440000']);
  });

  it('gives nothing for a province or a malformed code', () => {
    expect(divisionAncestors('510000')).toEqual([]);
    expect(divisionAncestors('51a')).toEqual([]);
  });
});

describe('isWithin', () => {
  it('is true for a unit inside a coverage area, in short or padded form', () => {
    expect(isWithin('510117006', '510117')).toBe(true);
    expect(isWithin('510117006', '510100')).toBe(true);
    expect(isWithin('510117', '51')).toBe(true);
    expect(isWithin('510117', '510117')).toBe(true);
    expect(isWithin('441900114', '441900')).toBe(true);
  });

  it('is false outside the area and for malformed codes', () => {
    expect(isWithin('510117', '510104')).toBe(false);
    expect(isWithin('510117', '520000')).toBe(false);
    expect(isWithin('510100', '510117')).toBe(false);
    expect(isWithin('x', '51')).toBe(false);
    expect(isWithin('510117', '')).toBe(false);
  });
});

describe('code helpers', () => {
  it('names the level of a code', () => {
    expect(levelOfCode('510000')).toBe('province');
    expect(levelOfCode('5101')).toBe('prefecture');
    expect(levelOfCode('510117')).toBe('county');
    expect(levelOfCode('510117006')).toBe('town');
    expect(levelOfCode('5')).toBeUndefined();
  });

  it('recognises statistical-only units by the 7 in the 5th digit', () => {
    expect(isStatisticalOnly('220171')).toBe(true);
    expect(isStatisticalOnly('220102')).toBe(false);
  });

  it('gives the official name and path of a code, and undefined for an unknown one', () => {
    expect(divisionName('513326')).toBe('道孚县');
    expect(divisionName('510100')).toBe('成都市');
    expect(divisionPath('441900114')).toBe('广东省/东莞市/黄江镇');
    expect(divisionPath('469028102')).toBe('海南省/陵水黎族自治县/三才镇');
    expect(divisionName('220171')).toBeUndefined();
    expect(divisionName('000000')).toBeUndefined();
  });
});
