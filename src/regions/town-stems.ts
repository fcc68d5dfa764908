import { townStemLength } from './aliases.js';
import type { DivisionTable } from './table.js';
import { isIdeographsOnly, normalizeName } from './text.js';

const UNKNOWN = -1;
const TOWN_RANK = 3;

/**
 * How each town is matched: its stem (黄江 of 黄江镇) and official suffix
 * (镇), worked out on first use and kept. Nine units in ten are towns, and a
 * name rarely meets more than a county's worth of them, so doing this lazily
 * keeps it out of start-up; towns are never put in the hash index at all.
 */
export class TownStems {
  /** Official suffixes by id; the usual ones first, odd ones (满族乡) interned as met. */
  readonly suffixes = ['镇', '乡', '街道', '苏木', '地区', '办事处'];
  private readonly suffixIdsByText = new Map(this.suffixes.map((suffix, id) => [suffix, id]));
  /** Stem length per town; 0 when the whole name is the key; UNKNOWN until worked out. */
  private readonly stems: Int16Array;
  private readonly suffixIds: Uint8Array;
  /** The few town names with brackets or other non-ideographs, cleaned. */
  private readonly cleaned = new Map<number, string>();
  /** Towns ordered by the first character of their name, and where each character's run starts. */
  private byFirst: { readonly order: Int32Array; readonly starts: Int32Array } | undefined;

  constructor(private readonly table: DivisionTable) {
    this.stems = new Int16Array(table.size).fill(UNKNOWN);
    this.suffixIds = new Uint8Array(table.size);
  }

  /** The string holding the town's (cleaned) name; see start/end. */
  text(town: number): string {
    this.ensure(town);
    return this.cleaned.get(town) ?? this.table.source;
  }

  /** Where the town's cleaned name starts in text(town). */
  start(town: number): number {
    this.ensure(town);
    return this.cleaned.has(town) ? 0 : this.table.nameStarts[town]!;
  }

  /** Where it ends. */
  end(town: number): number {
    this.ensure(town);
    const cleaned = this.cleaned.get(town);
    return cleaned !== undefined ? cleaned.length : this.table.nameEnds[town]!;
  }

  /** The stem length; 0 when the town is matched by its whole name. */
  stem(town: number): number {
    this.ensure(town);
    return this.stems[town]!;
  }

  /** The official suffix after the stem. */
  suffix(town: number): string {
    this.ensure(town);
    return this.suffixes[this.suffixIds[town]!]!;
  }

  /**
   * Every town ordered by the first character of its name, and where each
   * character's run starts in that order (`order[starts[c]]` up to
   * `order[starts[c + 1]]`): how a town written without its county is found.
   * A counting sort over the whole table, made on first use.
   */
  byFirstCharacter(): { readonly order: Int32Array; readonly starts: Int32Array } {
    this.byFirst ??= this.sortByFirstCharacter();
    return this.byFirst;
  }

  private firstCharacter(town: number): number {
    const { source, nameStarts } = this.table;
    const first = source.charCodeAt(nameStarts[town]!);
    // Only a name that opens with a bracket note needs its cleaned form.
    return first >= 0x3400 ? first : this.text(town).charCodeAt(this.start(town));
  }

  private sortByFirstCharacter(): { order: Int32Array; starts: Int32Array } {
    const { size, levels } = this.table;
    const starts = new Int32Array(0x10001);
    let towns = 0;
    for (let unit = 0; unit < size; unit++)
      if (levels[unit] === TOWN_RANK) {
        starts[this.firstCharacter(unit) + 1]!++;
        towns++;
      }
    for (let c = 0; c < 0x10000; c++) starts[c + 1]! += starts[c]!;
    const order = new Int32Array(towns);
    const next = starts.slice(0, 0x10000);
    for (let unit = 0; unit < size; unit++)
      if (levels[unit] === TOWN_RANK) order[next[this.firstCharacter(unit)]!++] = unit;
    return { order, starts };
  }

  private ensure(town: number): void {
    if (this.stems[town] !== UNKNOWN) return;
    const { source, nameStarts, nameEnds } = this.table;
    let text = source;
    let start = nameStarts[town]!;
    let end = nameEnds[town]!;
    // A few NBS town names carry notes in brackets: （工业园区）城南街道.
    if (!isIdeographsOnly(text, start, end)) {
      text = normalizeName(text.slice(start, end));
      start = 0;
      end = text.length;
      this.cleaned.set(town, text);
    }
    const stem = townStemLength(text, start, end);
    this.stems[town] = stem;
    if (stem > 0) this.suffixIds[town] = this.suffixIdOf(text, start + stem, end);
  }

  private suffixIdOf(text: string, start: number, end: number): number {
    for (let id = 0; id < 6; id++) {
      const known = this.suffixes[id]!;
      if (known.length === end - start && text.startsWith(known, start)) return id;
    }
    const suffix = text.slice(start, end);
    let id = this.suffixIdsByText.get(suffix);
    if (id === undefined) {
      id = this.suffixes.push(suffix) - 1;
      if (id > 255) throw new Error('too many distinct town suffixes');
      this.suffixIdsByText.set(suffix, id);
    }
    return id;
  }
}
