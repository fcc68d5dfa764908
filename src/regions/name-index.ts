import { aliasesOf, PENALTY } from './aliases.js';
import { KeyTableBuilder, packEntry, type KeyTable } from './key-table.js';
import type { RenameEntry } from './model.js';
import { codeOf, findUnit, LEVEL_RANK, levelOf, nameOf, type DivisionTable } from './table.js';
import { normalizeName } from './text.js';
import { TownStems } from './town-stems.js';

/**
 * Everything the parser looks names up in.
 *
 * Provinces, prefectures, counties and stale names (a few thousand units,
 * under ten thousand aliases) are in a hash index built at start-up. Towns
 * are not indexed: a town is nearly always written after its county
 * (东莞市黄江镇, 兖州区龙桥街道), and the parser then scans that county's few
 * dozen towns in place; a town written after a city or alone (济宁市龙桥街道,
 * 黄江镇) is found by scanning the city's towns, or the towns that start with
 * the same character. That keeps start-up to the part of the table every
 * name needs.
 */
export class NameIndex {
  readonly towns: TownStems;

  constructor(
    readonly table: DivisionTable,
    /** Aliases of provinces, prefectures and counties, and stale names. */
    readonly keys: KeyTable,
    /** A moved unit's former prefecture (简阳: 资阳), still accepted as context; -1 for most. */
    readonly formerParents: Int32Array,
  ) {
    this.towns = new TownStems(table);
  }
}

/** Builds the index over a table: the aliases of every unit above town level, and the renames. */
export function buildNameIndex(table: DivisionTable, renames: readonly RenameEntry[]): NameIndex {
  const texts: string[] = [];
  const entries: number[] = [];
  for (let unit = 0; unit < table.size; unit++) {
    const level = levelOf(table, unit);
    if (level === 'town') continue;
    const name = normalizeName(nameOf(table, unit));
    if (name === '') continue;
    // 东莞, 中山, 儋州: a prefecture that is its own only county (441900) is indexed as
    // that county, so 东莞 alone answers 441900 rather than naming a whole area.
    const next = unit + 1;
    const target =
      level === 'prefecture' &&
      next < table.size &&
      codeOf(table, next) === `${codeOf(table, unit)}00`
        ? next
        : unit;
    for (const alias of aliasesOf(name, level)) {
      texts.push(alias.text);
      entries.push(packEntry(target, alias.penalty, alias.needsContext));
    }
  }
  const formerParents = new Int32Array(table.size).fill(-1);
  for (const rename of renames) {
    // A caller's partial table may lack the unit; the bundled table is checked by a test.
    const unit = findUnit(table, rename.code);
    if (unit === undefined || table.levels[unit] === LEVEL_RANK.town) continue;
    const old = normalizeName(rename.old);
    if (old !== '' && old !== normalizeName(nameOf(table, unit))) {
      texts.push(old);
      entries.push(packEntry(unit, PENALTY.short));
    }
    const former = rename.formerParent ? findUnit(table, rename.formerParent) : undefined;
    if (former !== undefined) formerParents[unit] = former;
  }
  const builder = new KeyTableBuilder(texts.length);
  for (let i = 0; i < texts.length; i++) builder.add(texts[i]!, 0, texts[i]!.length, entries[i]!);
  return new NameIndex(table, builder, formerParents);
}
