import type { DivisionLevel } from './model.js';

/** The four municipalities: their prefecture level is an NBS placeholder (市辖区, 县). */
const MUNICIPALITIES = new Set(['11', '12', '31', '50']);

/**
 * The significant digits of a code: 2 for a province, 4 for a prefecture, 6
 * for a county, 9 for a town. Accepts both the short forms (51, 5101) and the
 * 6-digit padded forms (510000, 510100); undefined for anything else.
 */
export function significantCode(code: string): string | undefined {
  if (/^\d{9}$/.test(code)) return code;
  if (/^\d{2}$/.test(code) || /^\d{4}$/.test(code)) return code;
  if (!/^\d{6}$/.test(code)) return undefined;
  if (code.endsWith('0000')) return code.slice(0, 2);
  // 441900 (东莞) and its peers are counties that fill a whole prefecture;
  // treating them as the prefecture covers exactly the same towns.
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

/** The level a code names, from its length once padding is stripped. */
export function levelOfCode(code: string): DivisionLevel | undefined {
  const length = significantCode(code)?.length;
  return length === undefined ? undefined : LEVEL_BY_SIGNIFICANT_LENGTH[length];
}

const LEVEL_BY_SIGNIFICANT_LENGTH: Readonly<Record<number, DivisionLevel>> = {
  2: 'province',
  4: 'prefecture',
  6: 'county',
  9: 'town',
};

/** NBS statistical-only units (development zones, parks) have a 7 in the 5th digit. */
export function isStatisticalOnly(code: string): boolean {
  return code.length >= 6 && code[4] === '7';
}

/** The 6-digit form of a province (510000), prefecture (510100) or county code; towns stay 9 digits. */
export function toAreaCode(code: string): string {
  return code.length >= 6 ? code : code.padEnd(6, '0');
}

/** True when a prefecture code is an NBS placeholder: municipalities' 市辖区/县 and the 省直辖 groups (xx90). */
export function isPlaceholderPrefecture(prefecture: string): boolean {
  return MUNICIPALITIES.has(prefecture.slice(0, 2)) || prefecture.endsWith('90');
}

/**
 * The real divisions above a code, nearest first, as 6-digit area codes:
 * a town gives its county, prefecture and province; placeholder levels
 * (北京 市辖区, 湖北 省直辖县级行政区划) are left out, and a county that is its
 * own prefecture (东莞 441900) appears once. Unknown forms give [].
 */
export function divisionAncestors(code: string): string[] {
  const significant = significantCode(code);
  if (!significant) return [];
  const chain: string[] = [];
  if (significant.length === 9) chain.push(significant.slice(0, 6));
  if (significant.length >= 6) {
    const prefecture = significant.slice(0, 4);
    if (!isPlaceholderPrefecture(prefecture)) chain.push(toAreaCode(prefecture));
  }
  if (significant.length >= 4) chain.push(toAreaCode(significant.slice(0, 2)));
  const self = toAreaCode(significant);
  return chain.filter((c, i) => c !== self && chain.indexOf(c) === i);
}

/**
 * True when `code` lies inside `coverageCode` (or is it): a town inside its
 * county, a county inside its prefecture or province. Both accept short or
 * 6-digit padded forms; malformed codes are never within anything.
 */
export function isWithin(code: string, coverageCode: string): boolean {
  const inner = significantCode(code);
  const outer = significantCode(coverageCode);
  if (!inner || !outer) return false;
  return inner.startsWith(outer);
}
