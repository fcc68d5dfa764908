/**
 * The reuse index's vocabulary: near-duplicate search over PDQ hashes of all
 * earlier evidence, keyed by the caller's opaque ids.
 */
import type { DihedralTransform } from '../hashing/index.js';

/** One stored image within the searched distance of the query. */
export interface ReuseMatch {
  /** The caller's id for the stored image (e.g. a media id), never anything else about it. */
  id: string;
  /** Hamming distance between the stored hash and the closest query hash, 0–256. */
  distance: number;
  /** Index in the query's hash list of the hash that came closest (0 = the hash as given). */
  variant: number;
  /**
   * The turn or mirror that, applied to the query image, gives the stored one
   * (when the query was one hash or the eight PDQ variants).
   */
  transform?: DihedralTransform;
}

/** A searchable set of 256-bit PDQ hashes under string ids. */
export interface ReuseIndex {
  /** Number of ids stored. */
  readonly size: number;
  /** Stores `hash` (32 bytes) under `id`, replacing any hash stored under it before. */
  add(id: string, hash: Uint8Array): void;
  /** Forgets `id`; returns whether it was stored. */
  remove(id: string): boolean;
  /** Whether `id` is stored. */
  has(id: string): boolean;
  /**
   * Stored ids within `maxDistance` bits of the query, closest first, at most
   * `limit`. A single hash is also searched rotated and mirrored (its
   * dihedral variants estimated from the bits); pass the eight hashes of
   * `pdqDihedral` instead for the exact variants.
   */
  query(hash: Uint8Array | readonly Uint8Array[], maxDistance: number, limit: number): ReuseMatch[];
  /** A compact binary image of the index (version header, CRC-32), for `deserialize`. */
  serialize(): Uint8Array;
}
