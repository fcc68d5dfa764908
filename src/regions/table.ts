import { isPlaceholderName } from './aliases.js';
import { isStatisticalOnly } from './codes.js';
import { DIVISIONS_TEXT } from './data/divisions.js';
import { RENAMES } from './data/renames.js';
import type { DivisionData, DivisionLevel, DivisionUnit } from './model.js';

const LEVEL_BY_LENGTH: Readonly<Record<number, DivisionLevel>> = {
  2: 'province',
  4: 'prefecture',
  6: 'county',
  9: 'town',
};

/** Level numbers in tree order; the resolver compares them. */
export const LEVEL_RANK: Readonly<Record<DivisionLevel, number>> = {
  province: 0,
  prefecture: 1,
  county: 2,
  town: 3,
};

/**
 * The division tree in parallel arrays indexed by unit number, so the index
 * can refer to a unit with one integer and walk to its parent without objects.
 */
export interface DivisionTable {
  readonly codes: readonly string[];
  readonly names: readonly string[];
  readonly levels: Uint8Array;
  /** Unit number of the parent, -1 for a province. */
  readonly parents: Int32Array;
  /** 1 for NBS placeholder prefectures (市辖区, 省直辖县级行政区划). */
  readonly placeholders: Uint8Array;
  readonly byCode: ReadonlyMap<string, number>;
}

/** Parses the compact line format of data/divisions.ts (see tools/regions/build-data.ts). */
export function parseDivisionText(text: string): DivisionUnit[] {
  const units: DivisionUnit[] = [];
  let county = '';
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let digits = start;
    while (digits < end && text.charCodeAt(digits) <= 0x39) digits++;
    const prefix = text.slice(start, digits);
    const name = text.slice(digits, end);
    if (prefix.length === 6) county = prefix;
    units.push({ code: prefix.length === 3 ? county + prefix : prefix, name });
    start = end + 1;
  }
  return units;
}

/** The bundled 2023 table and the maintained renames: what `createResolver()` uses by default. */
export function bundledData(): DivisionData {
  return { units: parseDivisionText(DIVISIONS_TEXT), renames: RENAMES };
}

/**
 * Builds the tree. Statistical-only units are skipped even when a caller's
 * table has them; a unit whose parent is missing is an error in the data.
 */
export function buildTable(units: readonly DivisionUnit[]): DivisionTable {
  const kept = units
    .filter((u) => !isStatisticalOnly(u.code) && LEVEL_BY_LENGTH[u.code.length] !== undefined)
    .sort((a, b) => a.code.length - b.code.length);
  const codes: string[] = [];
  const names: string[] = [];
  const levels = new Uint8Array(kept.length);
  const parents = new Int32Array(kept.length);
  const placeholders = new Uint8Array(kept.length);
  const byCode = new Map<string, number>();
  for (const unit of kept) {
    if (!/^\d+$/.test(unit.code) || byCode.has(unit.code))
      throw new Error(`bad or repeated division code ${unit.code}`);
    const level = LEVEL_BY_LENGTH[unit.code.length]!;
    const index = codes.length;
    const parentLength = unit.code.length === 9 ? 6 : unit.code.length - 2;
    const parent = parentLength > 0 ? byCode.get(unit.code.slice(0, parentLength)) : -1;
    if (parent === undefined) throw new Error(`division ${unit.code} has no parent in the table`);
    codes.push(unit.code);
    names.push(unit.name);
    levels[index] = LEVEL_RANK[level];
    parents[index] = parent;
    placeholders[index] = level === 'prefecture' && isPlaceholderName(unit.name) ? 1 : 0;
    byCode.set(unit.code, index);
  }
  return { codes, names, levels, parents, placeholders, byCode };
}

/** The level name of a unit number. */
export function levelOf(table: DivisionTable, unit: number): DivisionLevel {
  return (['province', 'prefecture', 'county', 'town'] as const)[table.levels[unit]!]!;
}

/**
 * The official path 省/市/县[/镇] of a unit, leaving out placeholder levels
 * and a level that repeats its parent's name (东莞市 the county under 东莞市
 * the prefecture).
 */
export function pathOf(table: DivisionTable, unit: number): string {
  const parts: string[] = [];
  for (let u = unit; u >= 0; u = table.parents[u]!) {
    if (table.placeholders[u]) continue;
    const name = table.names[u]!;
    if (parts[0] !== name) parts.unshift(name);
  }
  return parts.join('/');
}
