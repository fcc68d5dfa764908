import { isPlaceholderName } from './aliases.js';
import { isStatisticalOnly } from './codes.js';
import { DIVISIONS_TEXT } from './data/divisions.js';
import { RENAMES } from './data/renames.js';
import type { DivisionData, DivisionLevel, DivisionUnit } from './model.js';

/** Level numbers in tree order; the resolver compares them. */
export const LEVEL_RANK: Readonly<Record<DivisionLevel, number>> = {
  province: 0,
  prefecture: 1,
  county: 2,
  town: 3,
};

const LEVELS: readonly DivisionLevel[] = ['province', 'prefecture', 'county', 'town'];

/** Rank by the digits a line starts with: 2, 4 and 6 are full codes, 3 is a town suffix; -1 otherwise. */
function rankByDigits(count: number): number {
  return count === 2 ? 0 : count === 4 ? 1 : count === 6 ? 2 : count === 3 ? 3 : -1;
}

/**
 * The division tree as offsets into the compact text of data/divisions.ts
 * (one `<code><name>` line per unit, a town carrying only its 3-digit suffix
 * under the county above it), plus parallel typed arrays. Reading the table
 * this way allocates no string per town, which is most of the start-up
 * budget saved: names and codes are cut from the text only when asked for.
 * Units are in code order, a parent right before its subtree.
 */
export interface DivisionTable {
  readonly size: number;
  readonly source: string;
  /** Where a unit's line starts: its code digits (a town's 3-digit suffix). */
  readonly lineStarts: Int32Array;
  readonly nameStarts: Int32Array;
  readonly nameEnds: Int32Array;
  readonly levels: Uint8Array;
  /** Unit number of the parent, -1 for a province. */
  readonly parents: Int32Array;
  /** 1 for NBS placeholder prefectures (市辖区, 省直辖县级行政区划). */
  readonly placeholders: Uint8Array;
  /** The units above town level, in code order: what a code lookup searches. */
  readonly areas: Int32Array;
}

/** The level name of a unit number. */
export function levelOf(table: DivisionTable, unit: number): DivisionLevel {
  return LEVELS[table.levels[unit]!]!;
}

/** The official name of a unit, cut from the text. */
export function nameOf(table: DivisionTable, unit: number): string {
  return table.source.slice(table.nameStarts[unit], table.nameEnds[unit]);
}

/** The full code of a unit: 2, 4, 6 or 9 digits. */
export function codeOf(table: DivisionTable, unit: number): string {
  const digits = table.source.slice(table.lineStarts[unit], table.nameStarts[unit]);
  return table.levels[unit] === LEVEL_RANK.town
    ? codeOf(table, table.parents[unit]!) + digits
    : digits;
}

/**
 * The unit number of a code (2, 4, 6 or 9 digits); undefined when absent.
 * A binary search over the units above town level, then a walk through the
 * county's towns, so no town code is built to find one.
 */
export function findUnit(table: DivisionTable, code: string): number | undefined {
  const full = code.length === 9 ? code.slice(0, 6) : code;
  let low = 0;
  let high = table.areas.length - 1;
  let found: number | undefined;
  while (low <= high && found === undefined) {
    const mid = (low + high) >>> 1;
    const probe = codeOf(table, table.areas[mid]!);
    if (probe === full) found = table.areas[mid];
    else if (probe < full) low = mid + 1;
    else high = mid - 1;
  }
  if (found === undefined || code.length !== 9) return found;
  const suffix = code.slice(6);
  const { source, levels, lineStarts } = table;
  for (let town = found + 1; town < table.size && levels[town] === LEVEL_RANK.town; town++)
    if (source.startsWith(suffix, lineStarts[town])) return town;
  return undefined;
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
    const name = nameOf(table, u);
    if (parts[0] !== name) parts.unshift(name);
  }
  return parts.join('/');
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * Reads the compact text in one pass. In code order a unit's parent is the
 * last unit seen one level up, so parents are linked without a map; every
 * line is checked against that parent, so a caller's broken table fails here
 * rather than resolving wrongly.
 */
export function tableFromText(source: string): DivisionTable {
  let size = source.length === 0 ? 0 : 1;
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) size++;
  const lineStarts = new Int32Array(size);
  const nameStarts = new Int32Array(size);
  const nameEnds = new Int32Array(size);
  const levels = new Uint8Array(size);
  const parents = new Int32Array(size);
  const placeholders = new Uint8Array(size);
  const lastAtRank = [-1, -1, -1, -1];
  const areas: number[] = [];
  let previousCode = '';
  let previousTown = -1;
  let start = 0;
  for (let unit = 0; unit < size; unit++) {
    let end = source.indexOf('\n', start);
    if (end < 0) end = source.length;
    let digits = start;
    while (digits < end && isDigit(source.charCodeAt(digits))) digits++;
    const rank = rankByDigits(digits - start);
    if (rank < 0 || digits === end)
      throw new Error(`bad division line ${JSON.stringify(source.slice(start, end))}`);
    const parent = rank === 0 ? -1 : lastAtRank[rank - 1]!;
    if (rank > 0 && parent < 0)
      throw new Error(`division ${source.slice(start, end)} has no parent in the table`);
    if (rank < LEVEL_RANK.town) {
      // Full codes: extend the parent's code and come after the previous full code.
      const code = source.slice(start, digits);
      const parentCode = parent < 0 ? '' : source.slice(lineStarts[parent], nameStarts[parent]);
      if (!code.startsWith(parentCode))
        throw new Error(`division ${code} has no parent in the table`);
      if (code <= previousCode) throw new Error(`division ${code} repeated or out of order`);
      previousCode = code;
      previousTown = -1;
      placeholders[unit] =
        rank === LEVEL_RANK.prefecture && isPlaceholderName(source.slice(digits, end)) ? 1 : 0;
      areas.push(unit);
    } else {
      // Compared as a number: cutting 41,000 three-digit strings would cost more than the check.
      const suffix =
        (source.charCodeAt(start) - 0x30) * 100 +
        (source.charCodeAt(start + 1) - 0x30) * 10 +
        (source.charCodeAt(start + 2) - 0x30);
      if (suffix <= previousTown) throw new Error(`town ${suffix} repeated or out of order`);
      previousTown = suffix;
    }
    lastAtRank[rank] = unit;
    for (let r = rank + 1; r < 4; r++) lastAtRank[r] = -1;
    lineStarts[unit] = start;
    nameStarts[unit] = digits;
    nameEnds[unit] = end;
    levels[unit] = rank;
    parents[unit] = parent;
    start = end + 1;
  }
  return {
    size,
    source,
    lineStarts,
    nameStarts,
    nameEnds,
    levels,
    parents,
    placeholders,
    areas: Int32Array.from(areas),
  };
}

/** The bundled table, read straight from its text: the start-up path. */
export function bundledTable(): DivisionTable {
  return tableFromText(DIVISIONS_TEXT);
}

/**
 * Builds the tree from a caller's units in any order: they are checked,
 * sorted and written in the compact format, then read like the bundled table.
 * Statistical-only units are left out.
 */
export function buildTable(units: readonly DivisionUnit[]): DivisionTable {
  const kept = units.filter((unit) => {
    if (!/^(\d{2}|\d{4}|\d{6}|\d{9})$/.test(unit.code))
      throw new Error(`bad division code ${unit.code}`);
    if (/[\n\r]/.test(unit.name) || unit.name === '')
      throw new Error(`bad division name for ${unit.code}`);
    return !isStatisticalOnly(unit.code);
  });
  kept.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const lines: string[] = [];
  let county = '';
  for (const unit of kept) {
    if (unit.code.length === 6) county = unit.code;
    if (unit.code.length !== 9) lines.push(unit.code + unit.name);
    else if (unit.code.startsWith(county)) lines.push(unit.code.slice(6) + unit.name);
    else throw new Error(`division ${unit.code} has no parent in the table`);
  }
  return tableFromText(lines.join('\n'));
}

/** Parses the compact line format of data/divisions.ts into plain units, in code order. */
export function parseDivisionText(text: string): DivisionUnit[] {
  const table = tableFromText(text);
  const units: DivisionUnit[] = [];
  for (let unit = 0; unit < table.size; unit++)
    units.push({ code: codeOf(table, unit), name: nameOf(table, unit) });
  return units;
}

/** The bundled 2023 table and the maintained renames, as plain data a caller may extend. */
export function bundledData(): DivisionData {
  return { units: parseDivisionText(DIVISIONS_TEXT), renames: RENAMES };
}
