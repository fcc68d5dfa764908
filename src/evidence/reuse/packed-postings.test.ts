import { describe, expect, it } from 'vitest';
import { seededRandom } from '../hashing/test-support/images.js';
import {
  BUCKETS,
  largestBucket,
  packPostings,
  postingsBytes,
  readBucket,
} from './packed-postings.js';

describe('packed postings', () => {
  const random = seededRandom(12);
  const count = 300_000; // five blocks of 65,536 ids, so high parts 0–4 all occur
  const keys = Uint16Array.from({ length: count }, () => Math.floor(random() * 64) * 1024);
  const partners = Uint16Array.from({ length: count }, () => Math.floor(random() * BUCKETS));
  const table = packPostings(keys, partners);
  const buffer = new Uint32Array(largestBucket(table));

  it('gives back every bucket’s ids in ascending order, with their partners alongside', () => {
    const expected = new Map<number, number[]>();
    keys.forEach((key, id) => {
      const ids = expected.get(key) ?? [];
      ids.push(id);
      expected.set(key, ids);
    });
    for (const [key, ids] of expected) {
      const n = readBucket(table, key, buffer);
      expect(Array.from(buffer.subarray(0, n))).toEqual(ids);
      const start = table.starts[key]!;
      expect(Array.from(table.partners.subarray(start, start + n))).toEqual(
        ids.map((id) => partners[id]),
      );
    }
    expect(readBucket(table, 1, buffer)).toBe(0);
  });

  it('stops early when asked for ids up to a rank', () => {
    const full = readBucket(table, 0, buffer);
    const firstIds = Array.from(buffer.subarray(0, 10));
    expect(readBucket(table, 0, buffer, 9)).toBe(10);
    expect(Array.from(buffer.subarray(0, 10))).toEqual(firstIds);
    expect(full).toBeGreaterThan(10);
  });

  it('costs about 4.25 bytes per posting plus a fixed 256 KiB of bucket starts', () => {
    const perPosting = (postingsBytes(table) - (BUCKETS + 1) * 4) / count;
    expect(perPosting).toBeGreaterThan(4);
    expect(perPosting).toBeLessThan(4.5);
  });
});
