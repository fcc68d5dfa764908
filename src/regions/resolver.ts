import { ChainParser } from './chain-parser.js';
import { significantCode, toAreaCode } from './codes.js';
import type { DivisionData, DivisionInfo, Resolution, ResolveOptions, Resolver } from './model.js';
import { buildNameIndex, type NameIndex } from './name-index.js';
import { RENAMES } from './data/renames.js';
import {
  buildTable,
  bundledTable,
  codeOf,
  findUnit,
  LEVEL_RANK,
  levelOf,
  nameOf,
  pathOf,
} from './table.js';
import { cleanLine, stripLeadingNoise, stripTrailingNoise } from './text.js';

/** Longer lines are prose, not a place; the cap also bounds the work per line. */
const MAX_NAME_LENGTH = 80;
/** Noise phrases stripped one at a time before giving up (等地 then 全境 …). */
const MAX_NOISE_STRIPS = 4;

const DIGITS_CODE = /^\d{6}(?:\d{3})?$/;

function unresolved(input: string): Resolution {
  return { input, status: 'unresolved', code: null, candidates: [] };
}

/** How settled a resolution is: resolved first, then fewer candidates; unresolved last. */
function settledness(r: Resolution): number {
  return r.status === 'resolved' ? 0 : r.status === 'ambiguous' ? r.candidates.length : Infinity;
}

/**
 * The resolver proper. A class rather than closures because `resolve` is the
 * hot path; it keeps one parser with reusable arrays and a cache of official
 * paths, and is otherwise stateless, so results never depend on call order.
 */
class NameResolver implements Resolver {
  private readonly parser: ChainParser;
  private readonly paths: (string | undefined)[] = [];

  constructor(private readonly index: NameIndex) {
    this.parser = new ChainParser(index);
  }

  resolve(input: string, options?: ResolveOptions): Resolution {
    const allowAreas = options?.allowAreas === true;
    const byCode = this.resolveCode(input, allowAreas);
    if (byCode) return byCode;
    const cleaned = cleanLine(input);
    let result = this.resolveText(input, cleaned.main, allowAreas);
    if (result.status === 'resolved') return result;
    // A bracketed note is sometimes the context (大连（辽宁）…, 朝阳区（北京）); try it in front.
    if (cleaned.notes !== '') {
      const withNotes = this.resolveText(input, cleaned.notes + cleaned.main, allowAreas);
      if (settledness(withNotes) < settledness(result)) result = withNotes;
    }
    if (result.status === 'unresolved' && cleaned.afterColon)
      result = this.resolveText(input, cleaned.afterColon, allowAreas);
    return result;
  }

  lookup(code: string): DivisionInfo | undefined {
    const significant = significantCode(code.trim());
    const unit = significant === undefined ? undefined : findUnit(this.index.table, significant);
    if (significant === undefined || unit === undefined) return undefined;
    return {
      code: significant,
      level: levelOf(this.index.table, unit),
      name: nameOf(this.index.table, unit),
      path: this.pathOf(unit),
    };
  }

  private pathOf(unit: number): string {
    return (this.paths[unit] ??= pathOf(this.index.table, unit));
  }

  private resolved(input: string, unit: number): Resolution {
    const { table } = this.index;
    return {
      input,
      status: 'resolved',
      code: toAreaCode(codeOf(table, unit)),
      candidates: [],
      level: levelOf(table, unit),
      name: this.pathOf(unit),
    };
  }

  /** A line that is already a known code (a pasted 510105) resolves to itself. */
  private resolveCode(input: string, allowAreas: boolean): Resolution | undefined {
    const first = input.charCodeAt(0);
    if (!(first >= 0x30 && first <= 0x39) && first !== 0x20) return undefined;
    const trimmed = input.trim();
    if (!DIGITS_CODE.test(trimmed)) return undefined;
    const unit = findUnit(this.index.table, significantCode(trimmed) ?? trimmed);
    if (unit === undefined) return undefined;
    if (!allowAreas && this.index.table.levels[unit]! < LEVEL_RANK.county) return undefined;
    return this.resolved(input, unit);
  }

  /**
   * Parses the text; on failure strips one noise phrase (等地, 全境, 中国…)
   * and tries again. Towns are first read only after their county; a name
   * that does not parse that way is read again looking for towns after a
   * city or on their own (济宁市龙桥街道, 黄江镇), which a non-place also
   * ends up trying.
   */
  private resolveText(input: string, text: string, allowAreas: boolean): Resolution {
    for (const wideTowns of [false, true]) {
      let current: string | undefined = text;
      for (let strips = 0; current && strips <= MAX_NOISE_STRIPS; strips++) {
        if (current.length > MAX_NAME_LENGTH) break;
        this.parser.parse(current, wideTowns);
        const units = this.bestUnits(allowAreas);
        if (units.length > 0) return this.answer(input, units);
        current = stripTrailingNoise(current) ?? stripLeadingNoise(current);
      }
    }
    return unresolved(input);
  }

  private answer(input: string, units: readonly number[]): Resolution {
    if (units.length === 1) return this.resolved(input, units[0]!);
    const codes = [...new Set(units.map((u) => toAreaCode(codeOf(this.index.table, u))))];
    if (codes.length === 1) return this.resolved(input, units[0]!);
    return { input, status: 'ambiguous', code: null, candidates: codes.sort() };
  }

  /**
   * The units the text names, at the lowest cost over every reading. A
   * county beats a province, prefecture or town read at the same cost
   * (城区 the district, not the towns called 城区); a cheaper whole area
   * beats a county stem (海南 is 海南省 or 海南州, not 乌海's 海南区), and
   * then, unless areas are wanted, nothing is answered.
   */
  private bestUnits(allowAreas: boolean): number[] {
    const { levels, placeholders } = this.index.table;
    const { finalUnits, finalCosts } = this.parser;
    let best = Infinity;
    for (let i = 0; i < finalUnits.length; i++)
      if (!placeholders[finalUnits[i]!] && finalCosts[i]! < best) best = finalCosts[i]!;
    const byRank: number[][] = [[], [], [], []];
    for (let i = 0; i < finalUnits.length; i++) {
      const unit = finalUnits[i]!;
      if (finalCosts[i] === best && !placeholders[unit]) byRank[levels[unit]!]!.push(unit);
    }
    const areas = [...byRank[LEVEL_RANK.province]!, ...byRank[LEVEL_RANK.prefecture]!];
    if (byRank[LEVEL_RANK.county]!.length > 0) return byRank[LEVEL_RANK.county]!;
    if (areas.length > 0) return allowAreas ? areas : [];
    return byRank[LEVEL_RANK.town]!;
  }
}

/**
 * Builds a resolver over a division table: the bundled NBS 2023 set and the
 * maintained renames when no data is given (parsed straight from the compact
 * text, the fast start-up path), or a caller's table. Building is the whole
 * start-up cost; each `resolve` afterwards takes microseconds and never throws.
 */
export function createResolver(data?: DivisionData): Resolver {
  const index = data
    ? buildNameIndex(buildTable(data.units), data.renames)
    : buildNameIndex(bundledTable(), RENAMES);
  return new NameResolver(index);
}
