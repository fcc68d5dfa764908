import { PENALTY, TOWN_SUFFIXES } from './aliases.js';
import {
  entriesOf,
  entryNeedsContext,
  entryPenalty,
  entryUnit,
  findKey,
  hasBit,
  HASH_SEED,
  hashStep,
  prefixBucket,
  sameChars,
  type KeyTable,
} from './key-table.js';
import type { NameIndex } from './name-index.js';

const COUNTY_RANK = 2;
const TOWN_RANK = 3;

/** Readings of one key grouped by where they end: a town stem may or may not take a suffix. */
class Readings {
  readonly ends: number[] = [];
  readonly units: number[][] = [];
  readonly costs: number[][] = [];

  add(end: number, unit: number, cost: number): void {
    let at = this.ends.indexOf(end);
    if (at < 0) {
      at = this.ends.push(end) - 1;
      this.units.push([]);
      this.costs.push([]);
    }
    this.units[at]!.push(unit);
    this.costs[at]!.push(cost);
  }
}

/**
 * Reads a normalised name as a chain of aliases going down the tree
 * (province → prefecture → county → town; levels may be skipped), each unit a
 * descendant of one read before it: 四川省 + 涪城区, 黄南州 + 河南蒙古族自治县,
 * 东莞市 + 黄江镇. Every segmentation is tried, so 昌吉昌吉市 is 昌吉(州) +
 * 昌吉市 and 景宁县 is never 景 + 宁县 (景 is no alias).
 *
 * Towns are read after a county by scanning that county's towns; with
 * `wideTowns` also after a city or province (its whole subtree) or with no
 * context at all (the towns starting with the same character): slower, so
 * the resolver only asks for it when the narrow reading finds nothing.
 *
 * A class with reusable result arrays rather than closures: this is the hot
 * path, run hundreds of thousands of times a second.
 */
export class ChainParser {
  /** Units that end a complete chain, with the cheapest total penalty of each. */
  readonly finalUnits: number[] = [];
  readonly finalCosts: number[] = [];
  private text = '';
  private wideTowns = false;

  constructor(private readonly index: NameIndex) {}

  /** Parses `text`; the answer is left in finalUnits/finalCosts (empty when no chain covers it). */
  parse(text: string, wideTowns: boolean): void {
    this.text = text;
    this.wideTowns = wideTowns;
    this.finalUnits.length = 0;
    this.finalCosts.length = 0;
    this.visit(0, undefined, undefined);
  }

  /**
   * Whether `unit` may follow `ancestor`: it lies below it (also through a
   * moved unit's former prefecture), or is the same county named twice
   * (兵团第八师石河子市, 东莞市东莞市). Only counties: 淮安淮安 is the city
   * and then its district, not the city twice.
   */
  private isAbove(ancestor: number, unit: number): boolean {
    const { parents, levels } = this.index.table;
    const former = this.index.formerParents;
    if (unit === ancestor) return levels[unit] === COUNTY_RANK;
    for (let u = unit; u >= 0; u = parents[u]!) {
      if (u !== unit && u === ancestor) return true;
      for (let x = former[u]!; x >= 0; x = parents[x]!) if (x === ancestor) return true;
    }
    return false;
  }

  /** The cheapest cost of reaching `unit` after the previous segment; Infinity when out of context. */
  private baseCost(units: number[] | undefined, costs: number[] | undefined, unit: number): number {
    if (!units || !costs) return 0;
    let base = Infinity;
    for (let i = 0; i < units.length; i++)
      if (costs[i]! < base && this.isAbove(units[i]!, unit)) base = costs[i]!;
    return base;
  }

  private record(units: number[], costs: number[]): void {
    for (let i = 0; i < units.length; i++) {
      const at = this.finalUnits.indexOf(units[i]!);
      if (at < 0) {
        this.finalUnits.push(units[i]!);
        this.finalCosts.push(costs[i]!);
      } else if (costs[i]! < this.finalCosts[at]!) this.finalCosts[at] = costs[i]!;
    }
  }

  private visit(pos: number, units: number[] | undefined, costs: number[] | undefined): void {
    if (pos === this.text.length) {
      if (units && costs) this.record(units, costs);
      return;
    }
    this.lookUp(this.index.keys, pos, units, costs);
    if (units && costs) {
      const { levels, size } = this.index.table;
      for (let i = 0; i < units.length; i++) {
        const unit = units[i]!;
        const rank = levels[unit]!;
        if (rank === TOWN_RANK || (rank < COUNTY_RANK && !this.wideTowns)) continue;
        // The subtree of a unit is the run of deeper units right after it.
        let next: Readings | undefined;
        for (let town = unit + 1; town < size && levels[town]! > rank; town++)
          if (levels[town] === TOWN_RANK) next = this.readTownAt(next, town, pos, costs[i]!, true);
        if (next) this.follow(next);
      }
    } else if (this.wideTowns) {
      const { order, starts } = this.index.towns.byFirstCharacter();
      const first = this.text.charCodeAt(pos);
      let next: Readings | undefined;
      for (let i = starts[first]!; i < starts[first + 1]!; i++)
        next = this.readTownAt(next, order[i]!, pos, 0, false);
      if (next) this.follow(next);
    }
  }

  /** Extends a candidate from `pos` one character at a time and follows every key it meets. */
  private lookUp(
    keys: KeyTable,
    pos: number,
    units: number[] | undefined,
    costs: number[] | undefined,
  ): void {
    const text = this.text;
    let hash = hashStep(HASH_SEED, text.charCodeAt(pos));
    for (let end = pos + 2; end <= text.length; end++) {
      hash = hashStep(hash, text.charCodeAt(end - 1));
      if (!hasBit(keys.prefixBits, prefixBucket(hash))) break;
      const value = findKey(keys, text, pos, end, hash);
      if (value === undefined) continue;
      if (value >= 0 && !entryNeedsContext(value)) {
        // Most keys name one unit and end where they end: no grouping needed.
        const base = this.baseCost(units, costs, entryUnit(value));
        if (base !== Infinity) this.visit(end, [entryUnit(value)], [base + entryPenalty(value)]);
        continue;
      }
      const next = new Readings();
      for (const entry of entriesOf(keys, value)) {
        const unit = entryUnit(entry);
        if (!units && entryNeedsContext(entry)) continue;
        const base = this.baseCost(units, costs, unit);
        if (base === Infinity) continue;
        next.add(end, unit, base + entryPenalty(entry));
      }
      this.follow(next);
    }
  }

  /**
   * Reads `town` at `pos` if the text there starts with its stem (or whole
   * name), into `next` (created on the first match, since most towns of a
   * county do not match).
   */
  private readTownAt(
    next: Readings | undefined,
    town: number,
    pos: number,
    base: number,
    hasContext: boolean,
  ): Readings | undefined {
    const { towns, table } = this.index;
    const text = this.text;
    // Most towns of a county fail on the first character; test it on the raw name
    // before working out the stem (unless the raw name opens with a bracket note).
    const raw = table.source.charCodeAt(table.nameStarts[town]!);
    if (raw >= 0x3400 && raw !== text.charCodeAt(pos)) return next;
    const name = towns.text(town);
    const start = towns.start(town);
    if (name.charCodeAt(start) !== text.charCodeAt(pos)) return next;
    const stem = towns.stem(town);
    const length = stem > 0 ? stem : towns.end(town) - start;
    if (pos + length > text.length || !sameChars(text, pos, name, start, length)) return next;
    const readings = next ?? new Readings();
    if (stem > 0) this.readTown(readings, town, pos + stem, base, hasContext);
    else readings.add(pos + length, town, base);
    return readings;
  }

  /**
   * The readings of a town stem ending at `after`: with its official suffix
   * (free), another usual suffix (towns become streets), or bare (东莞黄江),
   * which is trusted only after a county or city.
   */
  private readTown(
    next: Readings,
    town: number,
    after: number,
    base: number,
    hasContext: boolean,
  ): void {
    const text = this.text;
    const official = this.index.towns.suffix(town);
    if (text.startsWith(official, after)) next.add(after + official.length, town, base);
    for (const suffix of TOWN_SUFFIXES)
      if (suffix !== official && text.startsWith(suffix, after))
        next.add(
          after + suffix.length,
          town,
          base + (suffix.startsWith(official) ? PENALTY.official : PENALTY.swapped),
        );
    if (hasContext) next.add(after, town, base + PENALTY.stem);
  }

  private follow(next: Readings): void {
    for (let i = 0; i < next.ends.length; i++)
      this.visit(next.ends[i]!, next.units[i], next.costs[i]);
  }
}
