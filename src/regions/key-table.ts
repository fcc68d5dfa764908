/**
 * An open-addressing hash table from name keys to packed unit entries, over
 * typed arrays. The parser already computes a rolling hash of the text as it
 * extends a candidate, so a lookup costs one probe and a character compare:
 * no substring is cut and no string is hashed in the hot loop.
 */

/**
 * An entry packs a unit number, a flag and a penalty into one small integer,
 * so a key's value is a plain number: `unit * 8 + (needsContext ? 4 : 0) + penalty`.
 */
export function packEntry(unit: number, penalty: number, needsContext = false): number {
  return unit * 8 + (needsContext ? 4 : 0) + penalty;
}
/** The unit number of a packed entry. */
export const entryUnit = (entry: number): number => entry >>> 3;
/** The penalty of a packed entry (0 official … 3). */
export const entryPenalty = (entry: number): number => entry & 3;
/** True when the entry may not start a name: a bare stem (古蔺, 中原) needs a city or province before it. */
export const entryNeedsContext = (entry: number): boolean => (entry & 4) !== 0;

/** The FNV-1a offset basis; every key hash and every candidate hash starts from it. */
export const HASH_SEED = 0x811c9dc5;

/** One FNV-1a step over a UTF-16 code unit. */
export function hashStep(hash: number, charCode: number): number {
  return Math.imul(hash ^ charCode, 0x01000193) >>> 0;
}

/** 2^18 buckets: 32 KiB per prefix bit set, a few per cent false positives. */
const PREFIX_BUCKETS = 1 << 18;

/** The prefix-filter bucket of a hash, folding the high bits in (FNV's low bits alone mix poorly). */
export function prefixBucket(hash: number): number {
  return (hash ^ (hash >>> 18)) & (PREFIX_BUCKETS - 1);
}

/** True when the bucket's bit is set. */
export function hasBit(bits: Uint32Array, bucket: number): boolean {
  return (bits[bucket >>> 5]! & (1 << (bucket & 31))) !== 0;
}

/** The table itself; build one with KeyTableBuilder. */
export interface KeyTable {
  readonly slots: Int32Array;
  readonly keyTexts: readonly string[];
  readonly keyStarts: Int32Array;
  readonly keyLengths: Uint8Array;
  readonly keyHashes: Uint32Array;
  /** A key's packed entry, or -(i + 1) for a key with several: they are in `lists[i]`. */
  readonly keyValues: Int32Array;
  readonly lists: readonly (readonly number[])[];
  /** Every prefix of every key, by prefixBucket: lets the parser stop extending early. */
  readonly prefixBits: Uint32Array;
}

function slotOf(hash: number, mask: number): number {
  return (hash ^ (hash >>> 16)) & mask;
}

/** True when `a[aStart, aStart + length)` equals `b[bStart, bStart + length)`. */
export function sameChars(
  a: string,
  aStart: number,
  b: string,
  bStart: number,
  length: number,
): boolean {
  for (let i = 0; i < length; i++)
    if (a.charCodeAt(aStart + i) !== b.charCodeAt(bStart + i)) return false;
  return true;
}

/** The value of the key `text[start, end)` whose rolling hash is `hash`, or undefined. */
export function findKey(
  table: KeyTable,
  text: string,
  start: number,
  end: number,
  hash: number,
): number | undefined {
  const { slots, keyTexts, keyStarts, keyLengths, keyHashes, keyValues } = table;
  const mask = slots.length - 1;
  const length = end - start;
  for (let slot = slotOf(hash, mask); ; slot = (slot + 1) & mask) {
    const k = slots[slot]! - 1;
    if (k < 0) return undefined;
    if (
      keyHashes[k] === hash &&
      keyLengths[k] === length &&
      sameChars(text, start, keyTexts[k]!, keyStarts[k]!, length)
    )
      return keyValues[k];
  }
}

/** The entries of a key value: one packed entry, or the list it points to. */
export function entriesOf(table: KeyTable, value: number): readonly number[] {
  return value >= 0 ? [value] : table.lists[-value - 1]!;
}

/** Fills a KeyTable; the capacity (number of distinct keys) is fixed up front. */
export class KeyTableBuilder implements KeyTable {
  readonly slots: Int32Array;
  readonly keyTexts: string[] = [];
  readonly keyStarts: Int32Array;
  readonly keyLengths: Uint8Array;
  readonly keyHashes: Uint32Array;
  readonly keyValues: Int32Array;
  readonly lists: number[][] = [];
  readonly prefixBits = new Uint32Array(PREFIX_BUCKETS >>> 5);
  private count = 0;

  constructor(private readonly capacity: number) {
    let size = 1024;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.keyStarts = new Int32Array(capacity);
    this.keyLengths = new Uint8Array(capacity);
    this.keyHashes = new Uint32Array(capacity);
    this.keyValues = new Int32Array(capacity);
  }

  /** Adds `entry` under the key `text[start, start + length)`. */
  add(text: string, start: number, length: number, entry: number): void {
    if (length > 255) return; // no place name is that long; the key length is a byte
    let hash = HASH_SEED;
    for (let i = 0; i < length; i++) {
      hash = hashStep(hash, text.charCodeAt(start + i));
      const bucket = prefixBucket(hash);
      this.prefixBits[bucket >>> 5]! |= 1 << (bucket & 31);
    }
    const mask = this.slots.length - 1;
    let slot = slotOf(hash, mask);
    for (; this.slots[slot] !== 0; slot = (slot + 1) & mask) {
      const k = this.slots[slot]! - 1;
      if (
        this.keyHashes[k] === hash &&
        this.keyLengths[k] === length &&
        sameChars(text, start, this.keyTexts[k]!, this.keyStarts[k]!, length)
      ) {
        this.merge(k, entry);
        return;
      }
    }
    if (this.count === this.capacity) throw new Error('key table over capacity');
    const k = this.count++;
    this.slots[slot] = k + 1;
    this.keyTexts.push(text);
    this.keyStarts[k] = start;
    this.keyLengths[k] = length;
    this.keyHashes[k] = hash;
    this.keyValues[k] = entry;
  }

  /** One unit once per key, at its lowest penalty; a second unit turns the value into a list. */
  private merge(k: number, entry: number): void {
    const value = this.keyValues[k]!;
    if (value >= 0) {
      if (entryUnit(value) !== entryUnit(entry)) {
        this.keyValues[k] = -this.lists.push([value, entry]);
      } else if (entryPenalty(entry) < entryPenalty(value)) this.keyValues[k] = entry;
      return;
    }
    const list = this.lists[-value - 1]!;
    const at = list.findIndex((e) => entryUnit(e) === entryUnit(entry));
    if (at < 0) list.push(entry);
    else if (entryPenalty(entry) < entryPenalty(list[at]!)) list[at] = entry;
  }
}
