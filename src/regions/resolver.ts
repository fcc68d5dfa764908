import { significantCode, toAreaCode } from './codes.js';
import type {
  DivisionData,
  DivisionInfo,
  Resolution,
  ResolveOptions,
  Resolver,
} from './model.js';
import {
  buildNameIndex,
  entryNeedsContext,
  entryPenalty,
  entryUnit,
  type NameIndex,
} from './name-index.js';
import { bundledData, LEVEL_RANK, levelOf, pathOf } from './table.js';
import { cleanLine, stripLeadingNoise, stripTrailingNoise } from './text.js';

/** Longer lines are prose, not a place; the cap also bounds the work per line. */
const MAX_NAME_LENGTH = 80;
/** Noise phrases stripped one at a time before giving up (等地 then 全境 …). */
const MAX_NOISE_STRIPS = 4;

/** A parse state: the units the text so far may name, with the cheapest cost of reaching each. */
interface State {
  readonly units: number[];
  readonly costs: number[];
}

/**
 * Finds every way to read `text` as a chain of aliases going down the tree
 * (province → prefecture → county → town, levels may be skipped), each unit a
 * descendant of one read before it. Returns, for the last unit of every
 * complete chain, the cheapest total penalty; an empty map when no chain
 * covers the whole text.
 */
function parseChains(index: NameIndex, text: string): Map<number, number> {
  const { entries, maxLengthByFirst, table, formerParents } = index;
  const parents = table.parents;
  const finals = new Map<number, number>();
  const n = text.length;

  // Whether `ancestor` lies above `unit`, also through a former prefecture of a moved unit.
  const isAbove = (ancestor: number, unit: number): boolean => {
    for (let u = unit; u >= 0; u = parents[u]!) {
      if (u !== unit && u === ancestor) return true;
      const former = formerParents.get(u);
      if (former)
        for (const f of former) for (let x = f; x >= 0; x = parents[x]!) if (x === ancestor) return true;
    }
    return false;
  };

  const visit = (pos: number, state: State | undefined): void => {
    if (pos === n) {
      if (!state) return;
      for (let i = 0; i < state.units.length; i++) {
        const unit = state.units[i]!;
        const known = finals.get(unit);
        if (known === undefined || state.costs[i]! < known) finals.set(unit, state.costs[i]!);
      }
      return;
    }
    const maxLength = Math.min(maxLengthByFirst[text.charCodeAt(pos)]!, n - pos);
    for (let length = maxLength; length >= 2; length--) {
      const found = entries.get(text.slice(pos, pos + length));
      if (!found) continue;
      const next: State = { units: [], costs: [] };
      for (const entry of found) {
        const unit = entryUnit(entry);
        let base = Infinity;
        if (!state) {
          if (!entryNeedsContext(entry)) base = 0;
        } else {
          for (let i = 0; i < state.units.length; i++)
            if (state.costs[i]! < base && isAbove(state.units[i]!, unit)) base = state.costs[i]!;
        }
        if (base === Infinity) continue;
        next.units.push(unit);
        next.costs.push(base + entryPenalty(entry));
      }
      if (next.units.length > 0) visit(pos + length, next);
    }
  };

  visit(0, undefined);
  return finals;
}

/** The answer-level units with the lowest cost; a county beats a town that reads the same (城区). */
function bestUnits(
  index: NameIndex,
  finals: Map<number, number>,
  allowAreas: boolean,
): number[] {
  const { table } = index;
  let best = Infinity;
  let units: number[] = [];
  for (const [unit, cost] of finals) {
    const rank = table.levels[unit]!;
    if (rank < LEVEL_RANK.county && (!allowAreas || table.placeholders[unit])) continue;
    if (cost < best) {
      best = cost;
      units = [unit];
    } else if (cost === best) units.push(unit);
  }
  const shallowest = Math.min(...units.map((u) => table.levels[u]!));
  // Only counties shadow towns; a province and a prefecture with one name (海南) stay ambiguous.
  if (shallowest === LEVEL_RANK.county)
    units = units.filter((u) => table.levels[u]! !== LEVEL_RANK.town);
  return units;
}

function answerCode(index: NameIndex, unit: number): string {
  return toAreaCode(index.table.codes[unit]!);
}

function resolveText(
  index: NameIndex,
  input: string,
  text: string,
  allowAreas: boolean,
): Resolution {
  let current: string | undefined = text;
  for (let strips = 0; current && strips <= MAX_NOISE_STRIPS; strips++) {
    if (current.length > MAX_NAME_LENGTH) break;
    const units = bestUnits(index, parseChains(index, current), allowAreas);
    const codes = [...new Set(units.map((u) => answerCode(index, u)))].sort();
    if (codes.length === 1) {
      const unit = units[0]!;
      return {
        input,
        status: 'resolved',
        code: codes[0]!,
        candidates: [],
        level: levelOf(index.table, unit),
        name: pathOf(index.table, unit),
      };
    }
    if (codes.length > 1) return { input, status: 'ambiguous', code: null, candidates: codes };
    current = stripTrailingNoise(current) ?? stripLeadingNoise(current);
  }
  return unresolved(input);
}

function unresolved(input: string): Resolution {
  return { input, status: 'unresolved', code: null, candidates: [] };
}

/** A line that is already a known code (a pasted 510105) resolves to itself. */
function resolveCode(index: NameIndex, input: string, allowAreas: boolean): Resolution | undefined {
  const trimmed = input.trim();
  if (!/^\d{6}(\d{3})?$/.test(trimmed)) return undefined;
  const unit = index.table.byCode.get(trimmed);
  if (unit === undefined) return undefined;
  if (!allowAreas && index.table.levels[unit]! < LEVEL_RANK.county) return undefined;
  return {
    input,
    status: 'resolved',
    code: trimmed,
    candidates: [],
    level: levelOf(index.table, unit),
    name: pathOf(index.table, unit),
  };
}

/** Prefers the reading that settles more: resolved over ambiguous over unresolved, fewer candidates first. */
function better(a: Resolution, b: Resolution): Resolution {
  const rank = (r: Resolution): number =>
    r.status === 'resolved' ? 0 : r.status === 'ambiguous' ? r.candidates.length : Infinity;
  return rank(b) < rank(a) ? b : a;
}

/**
 * Builds a resolver over a division table (the bundled NBS 2023 set and the
 * maintained renames by default). Building takes well under the 300 ms
 * start-up budget; each `resolve` is a few microseconds.
 */
export function createResolver(data: DivisionData = bundledData()): Resolver {
  const index = buildNameIndex(data);
  return {
    resolve(input: string, options: ResolveOptions = {}): Resolution {
      const allowAreas = options.allowAreas === true;
      const byCode = resolveCode(index, input, allowAreas);
      if (byCode) return byCode;
      const cleaned = cleanLine(input);
      let result = resolveText(index, input, cleaned.main, allowAreas);
      if (result.status === 'resolved') return result;
      // A bracketed note is sometimes the context (大连（辽宁）…, 朝阳区（北京）); try it in front.
      if (cleaned.notes !== '')
        result = better(
          result,
          resolveText(index, input, cleaned.notes + cleaned.main, allowAreas),
        );
      if (result.status === 'unresolved' && cleaned.afterColon)
        result = resolveText(index, input, cleaned.afterColon, allowAreas);
      return result;
    },
    lookup(code: string): DivisionInfo | undefined {
      const significant = significantCode(code.trim());
      const unit = significant === undefined ? undefined : index.table.byCode.get(significant);
      if (unit === undefined) return undefined;
      return {
        code: significant!,
        level: levelOf(index.table, unit),
        name: index.table.names[unit]!,
        path: pathOf(index.table, unit),
      };
    },
  };
}
