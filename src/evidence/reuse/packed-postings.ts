/**
 * Frozen posting lists for one multi-index-hashing table, packed close to
 * their information content. Ids in a bucket are ascending; each id is split
 * into its low 16 bits (stored as-is) and its high part (stored in unary, one
 * 1 per id and one 0 per step of the high part, Elias–Fano style). That costs
 * about 18 bits per posting instead of 32, whatever the index size, because a
 * 16-bit key spreads ids so that neighbours in a bucket are ~65,536 apart.
 * Each posting also carries its hash's partner substring (the other half of
 * the same 32-bit word), so most candidates can be rejected in place.
 */

/** Number of buckets: one per value of a 16-bit substring. */
export const BUCKETS = 65536;

/** One table's postings: ids grouped by the value of one 16-bit substring. */
export interface PackedPostings {
  /** starts[b]..starts[b+1] are bucket b's positions in `lows`. */
  starts: Uint32Array;
  /** Low 16 bits of each id, bucket by bucket, ascending within a bucket. */
  lows: Uint16Array;
  /** Partner substring of each posting's hash, aligned with `lows`. */
  partners: Uint16Array;
  /** Unary high parts; bucket b's code starts at bit starts[b] + b·blocks. */
  highs: Uint8Array;
  /** Number of possible high parts (ids / 65,536, rounded up, at least 1). */
  blocks: number;
}

/**
 * Builds one table over ids 0..keys.length-1, where keys[id] is the id's
 * 16-bit substring for this table and partnerKeys[id] its partner substring.
 * Ids are visited in ascending order, which keeps each bucket sorted without
 * a sort.
 */
export function packPostings(keys: Uint16Array, partnerKeys: Uint16Array): PackedPostings {
  const count = keys.length;
  const blocks = Math.max(1, Math.ceil(count / BUCKETS));
  const starts = new Uint32Array(BUCKETS + 1);
  for (let id = 0; id < count; id++) starts[keys[id]! + 1]!++;
  for (let b = 0; b < BUCKETS; b++) starts[b + 1]! += starts[b]!;
  const cursor = starts.slice(0, BUCKETS);
  const lows = new Uint16Array(count);
  const partners = new Uint16Array(count);
  const highs = new Uint8Array(Math.ceil((count + BUCKETS * blocks) / 8));
  for (let id = 0; id < count; id++) {
    const key = keys[id]!;
    const position = cursor[key]!++;
    lows[position] = id & 0xffff;
    partners[position] = partnerKeys[id]!;
    // The rank-th 1 of the bucket comes after `rank` earlier 1s and one 0 per earlier high part.
    const bit = position + key * blocks + Math.floor(id / BUCKETS);
    highs[bit >>> 3]! |= 1 << (bit & 7);
  }
  return { starts, lows, partners, highs, blocks };
}

/** Bytes held by a table (its typed arrays). */
export function postingsBytes(table: PackedPostings): number {
  return (
    table.starts.byteLength +
    table.lows.byteLength +
    table.partners.byteLength +
    table.highs.byteLength
  );
}

/**
 * Writes bucket `key`'s ids into `out` from index 0 and returns how many;
 * with `upTo`, stops after the id of that rank. `out` must hold the bucket
 * (size it to the largest bucket, see {@link largestBucket}).
 */
export function readBucket(
  table: PackedPostings,
  key: number,
  out: Uint32Array,
  upTo = Number.MAX_SAFE_INTEGER,
): number {
  const { starts, lows, highs } = table;
  let position = starts[key]!;
  const end = Math.min(starts[key + 1]!, position + upTo + 1);
  let bit = position + key * table.blocks;
  let high = 0;
  let n = 0;
  while (position < end) {
    const word = highs[bit >>> 3]! >>> (bit & 7);
    if (word === 0) {
      // The rest of this byte is 0s: each ends one high part.
      const skipped = 8 - (bit & 7);
      high += skipped;
      bit += skipped;
    } else if (word & 1) {
      out[n++] = high * BUCKETS + lows[position++]!;
      bit++;
    } else {
      const zeros = 31 - Math.clz32(word & -word);
      high += zeros;
      bit += zeros;
    }
  }
  return n;
}

/** Size of the fullest bucket, for sizing {@link readBucket}'s buffer. */
export function largestBucket(table: PackedPostings): number {
  let largest = 0;
  for (let b = 0; b < BUCKETS; b++)
    largest = Math.max(largest, table.starts[b + 1]! - table.starts[b]!);
  return largest;
}
