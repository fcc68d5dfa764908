import { aliasesOf, PENALTY } from './aliases.js';
import type { DivisionData } from './model.js';
import { buildTable, levelOf, type DivisionTable } from './table.js';
import { normalizeName } from './text.js';

/**
 * An index entry packs a unit number, a needs-context bit and a penalty into
 * one small integer, so a lookup returns a plain number array and the hot
 * loop allocates nothing: `unit * 8 + (needsContext ? 4 : 0) + penalty`.
 */
export const entryUnit = (entry: number): number => entry >>> 3;
/** The penalty of a packed entry (0 official … 3). */
export const entryPenalty = (entry: number): number => entry & 3;
/** True when the packed entry may not start a name (a bare town stem). */
export const entryNeedsContext = (entry: number): boolean => (entry & 4) !== 0;

/** Every alias of every unit, keyed by its normalised text. */
export interface NameIndex {
  readonly table: DivisionTable;
  readonly entries: ReadonlyMap<string, readonly number[]>;
  /** Longest alias starting with each UTF-16 code unit; 0 where none starts. */
  readonly maxLengthByFirst: Uint8Array;
  /** Units that moved prefecture (简阳) and the former prefecture still accepted as context. */
  readonly formerParents: ReadonlyMap<number, readonly number[]>;
}

function addEntry(map: Map<string, number[]>, text: string, entry: number): void {
  const list = map.get(text);
  if (!list) {
    map.set(text, [entry]);
    return;
  }
  const unit = entryUnit(entry);
  const at = list.findIndex((e) => entryUnit(e) === unit);
  if (at < 0) list.push(entry);
  else if (entryPenalty(entry) < entryPenalty(list[at]!)) list[at] = entry;
}

/** Builds the table and the alias index; takes some tens of milliseconds for the national set. */
export function buildNameIndex(data: DivisionData): NameIndex {
  const table = buildTable(data.units);
  const entries = new Map<string, number[]>();
  for (let unit = 0; unit < table.codes.length; unit++) {
    const name = normalizeName(table.names[unit]!);
    if (name === '') continue;
    for (const alias of aliasesOf(name, levelOf(table, unit)))
      addEntry(entries, alias.text, unit * 8 + (alias.needsContext ? 4 : 0) + alias.penalty);
  }
  const formerParents = new Map<number, number[]>();
  for (const rename of data.renames) {
    // A caller's partial table may lack the unit; the bundled table is checked by a test.
    const unit = table.byCode.get(rename.code);
    if (unit === undefined) continue;
    const old = normalizeName(rename.old);
    if (old !== '' && old !== normalizeName(table.names[unit]!))
      addEntry(entries, old, unit * 8 + PENALTY.short);
    const former = rename.formerParent ? table.byCode.get(rename.formerParent) : undefined;
    if (former !== undefined) formerParents.set(unit, [...(formerParents.get(unit) ?? []), former]);
  }
  const maxLengthByFirst = new Uint8Array(0x10000);
  for (const text of entries.keys()) {
    const first = text.charCodeAt(0);
    maxLengthByFirst[first] = Math.max(maxLengthByFirst[first]!, Math.min(text.length, 255));
  }
  return { table, entries, maxLengthByFirst, formerParents };
}
