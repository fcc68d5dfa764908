/**
 * An in-memory {@link ReuseIndex} by multi-index hashing (Norouzi, Punjani
 * and Fleet, "Fast Search in Hamming Space with Multi-Index Hashing", 2012).
 * The 256-bit hash is cut into 16 substrings of 16 bits, one table each. Two
 * hashes within r bits agree to within ⌊r/16⌋ bits on at least one substring
 * (pigeonhole), so probing every table at the query's substring and its
 * neighbours within ⌊r/16⌋ bit flips finds every true match; at PDQ's usual
 * r = 31 that is 17 probes per table.
 *
 * A sharper pigeonhole prunes the candidates before any hash is fetched: the
 * substrings pair up into eight 32-bit words, and a true match is within
 * ⌊r/8⌋ bits on some word, and so within ⌊r/16⌋ on one of that word's halves.
 * Each posting stores its partner half, so a candidate found through one half
 * must also be within ⌊r/8⌋ bits on the whole word. At r = 31 that rejects
 * about 99.7% of chance candidates in place; only survivors are checked on
 * all 256 bits in the hash store (one cache miss each).
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
  private hashes = new HashStore();
  /** Position → caller id; undefined marks a removed entry awaiting the next rebuild. */
  private ids: (string | undefined)[] = [];
  private positions = new Map<string, number>();
  private removed = 0;
  /** Positions below this are in `frozen`. */
  private frozenCount = 0;
  private frozen: PackedPostings[] = [];
  private bucketBuffer = new Uint32Array(0);
  private rankBuffer = new Uint32Array(0);
  /** Delta heads per (table, key): newest delta entry (position − frozenCount), or −1. */
  private deltaHeads: Int32Array | undefined;
  /** Delta links: deltaNext[local·16 + table] is the next older entry in the same bucket, or −1. */
  private deltaNext = new Int32Array(0);

  /** Rebuilds an index from {@link MihReuseIndex.serialize}'s bytes; throws EVIDENCE_CORRUPT on damaged input. */
  static deserialize(bytes: Uint8Array): MihReuseIndex {
    const index = new MihReuseIndex();
    decodeIndex(bytes, (id, hash) => {
      if (index.positions.has(id))
        throw new EvidenceError(
          'EVIDENCE_CORRUPT',
          'invalid',
          `reuse index repeats the id ${JSON.stringify(id)}`,
        );
      // Straight into storage: compact() below indexes everything at once, without the delta.
      index.store(id, hash);
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
    this.linkIntoDelta(this.store(id, hash));
    if (this.hashes.length - this.frozenCount > Math.max(MIN_DELTA, this.frozenCount / 4))
      this.compact();
  }

  remove(id: string): boolean {
    const position = this.positions.get(id);
    if (position === undefined) return false;
    this.positions.delete(id);
    this.ids[position] = undefined;
    this.removed++;
    if (this.removed > Math.max(1024, this.hashes.length / 4)) this.compact();
    return true;
  }

  query(
    hash: Uint8Array | readonly Uint8Array[],
    maxDistance: number,
    limit: number,
  ): ReuseMatch[] {
    if (!Number.isInteger(maxDistance) || maxDistance < 0 || maxDistance > 256)
      throw new RangeError(
        `maxDistance must be a whole number of bits in 0..256, got ${maxDistance}`,
      );
    if (!Number.isInteger(limit) || limit < 0)
      throw new RangeError(`limit must be a whole number, got ${limit}`);
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
    matches.sort(
      (a, b) =>
        a.distance - b.distance ||
        a.variant - b.variant ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    return matches.slice(0, limit);
  }

  serialize(): Uint8Array {
    let positionOf = (n: number): number => n;
    if (this.removed > 0) {
      const live = new Uint32Array(this.size);
      for (let position = 0, n = 0; position < this.hashes.length; position++)
        if (this.ids[position] !== undefined) live[n++] = position;
      positionOf = (n) => live[n]!;
    }
    return encodeIndex(
      this.size,
      (n) => this.ids[positionOf(n)]!,
      (n) => this.hashes.bytes(positionOf(n)),
    );
  }

  /**
   * Drops removed entries and packs everything into the frozen tables. Runs
   * by itself as the delta grows; call it after a bulk load to start from the
   * compact form.
   */
  compact(): void {
    if (this.removed > 0) this.dropRemoved();
    const hashes = this.hashes;
    this.frozen = [];
    let largest = 0;
    for (let table = 0; table < TABLES; table += 2) {
      // Tables 2w and 2w+1 are the two halves of word w, each the other's partner.
      const low = hashes.substrings(table);
      const high = hashes.substrings(table + 1);
      for (const packed of [packPostings(low, high), packPostings(high, low)]) {
        largest = Math.max(largest, largestBucket(packed));
        this.frozen.push(packed);
      }
    }
    this.frozenCount = hashes.length;
    this.bucketBuffer = new Uint32Array(largest);
    this.rankBuffer = new Uint32Array(largest);
    // The delta's 4 MiB of bucket heads come back with the next addition.
    this.deltaHeads = undefined;
    this.deltaNext = new Int32Array(0);
  }

  /** Bytes held in typed arrays, for capacity planning and the benchmark. */
  footprint(): ReuseIndexFootprint {
    return {
      hashBytes: this.hashes.byteLength,
      postingBytes: this.frozen.reduce((sum, table) => sum + postingsBytes(table), 0),
      deltaBytes: (this.deltaHeads?.byteLength ?? 0) + this.deltaNext.byteLength,
    };
  }

  private store(id: string, hash: Uint8Array): number {
    const position = this.hashes.push(hash);
    this.ids.push(id);
    this.positions.set(id, position);
    return position;
  }

  private linkIntoDelta(position: number): void {
    const local = position - this.frozenCount;
    const heads = (this.deltaHeads ??= new Int32Array(TABLES * BUCKETS).fill(-1));
    if ((local + 1) * TABLES > this.deltaNext.length) {
      const grown = new Int32Array(Math.max(1024, this.deltaNext.length * 2));
      grown.set(this.deltaNext);
      this.deltaNext = grown;
    }
    for (let table = 0; table < TABLES; table++) {
      const slot = table * BUCKETS + this.hashes.substring(position, table);
      this.deltaNext[local * TABLES + table] = heads[slot]!;
      heads[slot] = local;
    }
  }

  private dropRemoved(): void {
    const old = this.hashes;
    const oldIds = this.ids;
    this.hashes = new HashStore();
    this.ids = [];
    for (let position = 0; position < old.length; position++) {
      const id = oldIds[position];
      if (id === undefined) continue;
      this.store(id, old.bytes(position));
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
    const [q0, q1, q2, q3, q4, q5, q6, q7] = q as unknown as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const chunks = this.hashes.chunks;
    const radius = Math.min(16, Math.floor(maxDistance / TABLES));
    const wordBudget = Math.floor(maxDistance / 8);
    const masks = neighbourMasks(radius);
    const buffer = this.bucketBuffer;
    const ranks = this.rankBuffer;
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
      const partner = table & 1 ? word & 0xffff : word >>> 16;
      const frozen = this.frozen[table];
      for (const mask of masks) {
        const key = substring ^ mask;
        if (frozen !== undefined) {
          const start = frozen.starts[key]!;
          const end = frozen.starts[key + 1]!;
          // The whole word may differ by at most wordBudget; the probed half already uses popcount(mask).
          const allowance = wordBudget - popcount32(mask);
          const partners = frozen.partners;
          let survivors = 0;
          for (let p = start; p < end; p++)
            if (popcount32(partners[p]! ^ partner) <= allowance) ranks[survivors++] = p - start;
          if (survivors > 0) {
            readBucket(frozen, key, buffer, ranks[survivors - 1]);
            for (let i = 0; i < survivors; i++) check(buffer[ranks[i]!]!);
          }
        }
        if (heads !== undefined)
          for (
            let local = heads[table * BUCKETS + key]!;
            local >= 0;
            local = next[local * TABLES + table]!
          )
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
const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkId(id: string): void {
  if (
    typeof id !== 'string' ||
    id.length === 0 ||
    id.length > MAX_ID_LENGTH ||
    // The plain class is fast; the lookaround one runs only on the rare id with surrogates.
    (SURROGATE.test(id) && LONE_SURROGATE.test(id))
  )
    throw new RangeError(
      `a reuse-index id is a well-formed string of 1..${MAX_ID_LENGTH} characters`,
    );
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
