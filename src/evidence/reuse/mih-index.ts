/**
 * An in-memory {@link ReuseIndex} by multi-index hashing (Norouzi, Punjani
 * and Fleet, "Fast Search in Hamming Space with Multi-Index Hashing", 2012).
 * The 256-bit hash is cut into 16 substrings of 16 bits, one table each. Two
 * hashes within r bits agree to within ⌊r/16⌋ bits on at least one substring
 * (pigeonhole), so probing every table at the query's substring and its
 * neighbours within ⌊r/16⌋ bit flips finds every true match; candidates are
 * then checked on all 256 bits. At PDQ's usual r = 31 that is 17 probes per
 * table.
 *
 * Most entries live in frozen, packed tables (see packed-postings.ts);
 * recent additions go to a small linked "delta" until it grows past a quarter
 * of the frozen part, when everything is rebuilt. Removal marks a tombstone
 * that the next rebuild drops, so every operation is amortised O(1) tables.
 */
import { EvidenceError } from '../errors.js';
import { DIHEDRAL_TRANSFORMS, pdqDihedralFromHash, popcount32 } from '../hashing/index.js';
import { decodeIndex, encodeIndex } from './codec.js';
import { HashStore, WORDS, hashWords } from './hash-store.js';
import type { ReuseIndex, ReuseMatch } from './model.js';
import {
  BUCKETS,
  largestBucket,
  packPostings,
  postingsBytes,
  readBucket,
  type PackedPostings,
} from './packed-postings.js';

/** Substrings, and so tables, per hash. */
const TABLES = 16;
/** The delta is rebuilt into the frozen tables past max(this, frozen / 4) entries. */
const MIN_DELTA = 65536;
/** Longest id accepted, in UTF-16 code units; ids are references, not documents. */
const MAX_ID_LENGTH = 512;

/** Memory held by an index's typed arrays, by part (JavaScript strings for ids are not counted). */
export interface ReuseIndexFootprint {
  hashBytes: number;
  postingBytes: number;
  deltaBytes: number;
}

/** Multi-index-hashing reuse index; create with `new MihReuseIndex()` or {@link MihReuseIndex.deserialize}. */
export class MihReuseIndex implements ReuseIndex {
  private store = new HashStore();
  /** Position → caller id; undefined marks a removed entry awaiting the next rebuild. */
  private ids: (string | undefined)[] = [];
  private positions = new Map<string, number>();
  private removed = 0;
  /** Positions below this are in `frozen`. */
  private frozenCount = 0;
  private frozen: PackedPostings[] = [];
  private bucketBuffer = new Uint32Array(0);
  /** Delta heads per (table, key): newest delta entry (position − frozenCount), or −1. */
  private deltaHeads: Int32Array | undefined;
  /** Delta links: deltaNext[local·16 + table] is the next older entry in the same bucket, or −1. */
  private deltaNext = new Int32Array(0);

  /** Rebuilds an index from {@link MihReuseIndex.serialize}'s bytes; throws EVIDENCE_CORRUPT on damaged input. */
  static deserialize(bytes: Uint8Array): MihReuseIndex {
    const index = new MihReuseIndex();
    decodeIndex(bytes, (id, hash) => {
      if (index.positions.has(id))
        throw new EvidenceError('EVIDENCE_CORRUPT', 'invalid', `reuse index repeats the id ${JSON.stringify(id)}`);
      index.append(id, hash);
    });
    index.compact();
    return index;
  }

  get size(): number {
    return this.positions.size;
  }

  has(id: string): boolean {
    return this.positions.has(id);
  }

  add(id: string, hash: Uint8Array): void {
    checkId(id);
    checkHash(hash);
    if (this.positions.has(id)) this.remove(id);
    this.append(id, hash);
    if (this.store.length - this.frozenCount > Math.max(MIN_DELTA, this.frozenCount / 4)) this.compact();
  }

  remove(id: string): boolean {
    const position = this.positions.get(id);
    if (position === undefined) return false;
    this.positions.delete(id);
    this.ids[position] = undefined;
    this.removed++;
    if (this.removed > Math.max(1024, this.store.length / 4)) this.compact();
    return true;
  }

  query(hash: Uint8Array | readonly Uint8Array[], maxDistance: number, limit: number): ReuseMatch[] {
    if (!Number.isInteger(maxDistance) || maxDistance < 0 || maxDistance > 256)
      throw new RangeError(`maxDistance must be a whole number of bits in 0..256, got ${maxDistance}`);
    if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a whole number, got ${limit}`);
    const queries = isHashList(hash) ? hash : pdqDihedralFromHash(checkHash(hash));
    queries.forEach(checkHash);
    const best = new Map<number, { distance: number; variant: number }>();
    queries.forEach((query, variant) => this.search(query, maxDistance, variant, best));
    const named = queries.length === DIHEDRAL_TRANSFORMS.length;
    const matches: ReuseMatch[] = [];
    for (const [position, { distance, variant }] of best) {
      const id = this.ids[position];
      if (id === undefined) continue;
      const match: ReuseMatch = { id, distance, variant };
      if (named) match.transform = DIHEDRAL_TRANSFORMS[variant];
      matches.push(match);
    }
    matches.sort((a, b) => a.distance - b.distance || a.variant - b.variant || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return matches.slice(0, limit);
  }

  serialize(): Uint8Array {
    const live: number[] = [];
    for (let position = 0; position < this.store.length; position++)
      if (this.ids[position] !== undefined) live.push(position);
    return encodeIndex(
      live.length,
      (n) => this.ids[live[n]!]!,
      (n) => this.store.bytes(live[n]!),
    );
  }

  /**
   * Drops removed entries and packs everything into the frozen tables. Runs
   * by itself as the delta grows; call it after a bulk load to start from the
   * compact form.
   */
  compact(): void {
    if (this.removed > 0) this.dropRemoved();
    const store = this.store;
    const count = store.length;
    this.frozen = [];
    let largest = 0;
    for (let table = 0; table < TABLES; table++) {
      const packed = packPostings(count, (position) => store.substring(position, table));
      largest = Math.max(largest, largestBucket(packed));
      this.frozen.push(packed);
    }
    this.frozenCount = count;
    this.bucketBuffer = new Uint32Array(largest);
    this.deltaHeads?.fill(-1);
    this.deltaNext = new Int32Array(0);
  }

  /** Bytes held in typed arrays, for capacity planning and the benchmark. */
  footprint(): ReuseIndexFootprint {
    return {
      hashBytes: this.store.byteLength,
      postingBytes: this.frozen.reduce((sum, table) => sum + postingsBytes(table), 0),
      deltaBytes: (this.deltaHeads?.byteLength ?? 0) + this.deltaNext.byteLength,
    };
  }

  private append(id: string, hash: Uint8Array): void {
    const position = this.store.push(hash);
    this.ids.push(id);
    this.positions.set(id, position);
    const local = position - this.frozenCount;
    const heads = (this.deltaHeads ??= new Int32Array(TABLES * BUCKETS).fill(-1));
    if ((local + 1) * TABLES > this.deltaNext.length) {
      const grown = new Int32Array(Math.max(1024, this.deltaNext.length * 2));
      grown.set(this.deltaNext);
      this.deltaNext = grown;
    }
    for (let table = 0; table < TABLES; table++) {
      const slot = table * BUCKETS + this.store.substring(position, table);
      this.deltaNext[local * TABLES + table] = heads[slot]!;
      heads[slot] = local;
    }
  }

  private dropRemoved(): void {
    const old = this.store;
    const oldIds = this.ids;
    this.store = new HashStore();
    this.ids = [];
    for (let position = 0; position < old.length; position++) {
      const id = oldIds[position];
      if (id === undefined) continue;
      this.positions.set(id, this.store.push(old.bytes(position)));
      this.ids.push(id);
    }
    this.removed = 0;
  }

  private search(
    query: Uint8Array,
    maxDistance: number,
    variant: number,
    best: Map<number, { distance: number; variant: number }>,
  ): void {
    const q = hashWords(query);
    const [q0, q1, q2, q3, q4, q5, q6, q7] = q as unknown as [number, number, number, number, number, number, number, number];
    const chunks = this.store.chunks;
    const masks = neighbourMasks(Math.min(16, Math.floor(maxDistance / TABLES)));
    const buffer = this.bucketBuffer;
    const heads = this.deltaHeads;
    const next = this.deltaNext;
    const frozenCount = this.frozenCount;

    const check = (position: number): void => {
      const chunk = chunks[position >>> 16]!;
      const base = (position & 0xffff) * WORDS;
      const distance =
        popcount32(chunk[base]! ^ q0) +
        popcount32(chunk[base + 1]! ^ q1) +
        popcount32(chunk[base + 2]! ^ q2) +
        popcount32(chunk[base + 3]! ^ q3) +
        popcount32(chunk[base + 4]! ^ q4) +
        popcount32(chunk[base + 5]! ^ q5) +
        popcount32(chunk[base + 6]! ^ q6) +
        popcount32(chunk[base + 7]! ^ q7);
      if (distance > maxDistance) return;
      const seen = best.get(position);
      if (seen === undefined || distance < seen.distance) best.set(position, { distance, variant });
    };

    for (let table = 0; table < TABLES; table++) {
      const word = q[table >>> 1]!;
      const substring = table & 1 ? word >>> 16 : word & 0xffff;
      const frozen = this.frozen[table];
      for (const mask of masks) {
        const key = substring ^ mask;
        if (frozen !== undefined) {
          const n = readBucket(frozen, key, buffer);
          for (let i = 0; i < n; i++) check(buffer[i]!);
        }
        if (heads !== undefined)
          for (let local = heads[table * BUCKETS + key]!; local >= 0; local = next[local * TABLES + table]!)
            check(frozenCount + local);
      }
    }
  }
}

function isHashList(hash: Uint8Array | readonly Uint8Array[]): hash is readonly Uint8Array[] {
  return Array.isArray(hash);
}

function checkHash(hash: Uint8Array): Uint8Array {
  if (!(hash instanceof Uint8Array) || hash.length !== 32)
    throw new RangeError('a reuse-index hash is a 32-byte PDQ hash');
  return hash;
}

// A lone surrogate cannot be written as UTF-8, so it would not survive serialize().
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkId(id: string): void {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH || LONE_SURROGATE.test(id))
    throw new RangeError(`a reuse-index id is a well-formed string of 1..${MAX_ID_LENGTH} characters`);
}

const maskCache = new Map<number, Uint16Array>();

/** Every 16-bit mask with at most `radius` bits set, fewest bits first. */
function neighbourMasks(radius: number): Uint16Array {
  let masks = maskCache.get(radius);
  if (masks === undefined) {
    const all: number[] = [];
    for (let mask = 0; mask < BUCKETS; mask++) if (popcount32(mask) <= radius) all.push(mask);
    all.sort((a, b) => popcount32(a) - popcount32(b) || a - b);
    masks = Uint16Array.from(all);
    maskCache.set(radius, masks);
  }
  return masks;
}
