import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hammingDistance, pdqDihedral, pdqHash } from '../hashing/index.js';
import {
  seededRandom,
  sharpFrom,
  syntheticPhoto,
  toRaster,
} from '../hashing/test-support/images.js';
import { MihReuseIndex } from './mih-index.js';

/** Random hashes in near-duplicate families (a base and copies with a few bits flipped), plus loners. */
function clusteredHashes(count: number, seed: number): Uint8Array[] {
  const random = seededRandom(seed);
  const hashes: Uint8Array[] = [];
  while (hashes.length < count) {
    const base = Uint8Array.from({ length: 32 }, () => Math.floor(random() * 256));
    hashes.push(base);
    const copies = Math.floor(random() * 6);
    for (let c = 0; c < copies && hashes.length < count; c++)
      hashes.push(flipBits(base, Math.floor(random() * 40), random));
  }
  return hashes;
}

function flipBits(hash: Uint8Array, bits: number, random: () => number): Uint8Array {
  const out = Uint8Array.from(hash);
  for (let i = 0; i < bits; i++) {
    const k = Math.floor(random() * 256);
    out[k >> 3]! ^= 1 << (k & 7);
  }
  return out;
}

function bruteForce(stored: Map<string, Uint8Array>, query: Uint8Array, radius: number): string[] {
  const found: string[] = [];
  for (const [id, hash] of stored) {
    const distance = hammingDistance(hash, query);
    if (distance <= radius) found.push(`${id}@${distance}`);
  }
  return found.sort();
}

describe('MihReuseIndex', () => {
  it('returns exactly the brute-force matches for random data, queries and radii up to 31', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          count: fc.integer({ min: 0, max: 1000 }),
          compactAt: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
          removeEvery: fc.integer({ min: 2, max: 9 }),
          queries: fc.array(
            fc.tuple(
              fc.integer({ min: 0, max: 31 }),
              fc.integer({ min: 0, max: 45 }),
              fc.boolean(),
            ),
            {
              minLength: 1,
              maxLength: 8,
            },
          ),
        }),
        ({ seed, count, compactAt, removeEvery, queries }) => {
          const random = seededRandom(seed ^ 0x5eed);
          const hashes = clusteredHashes(count, seed);
          const index = new MihReuseIndex();
          const stored = new Map<string, Uint8Array>();
          hashes.forEach((hash, i) => {
            if (i === compactAt) index.compact();
            index.add(`e${i}`, hash);
            stored.set(`e${i}`, hash);
          });
          for (let i = 0; i < count; i += removeEvery) {
            index.remove(`e${i}`);
            stored.delete(`e${i}`);
          }
          for (const [radius, noise, isNearStored] of queries) {
            const near = hashes[Math.floor(random() * hashes.length)];
            const query =
              isNearStored && near
                ? flipBits(near, noise, random)
                : clusteredHashes(1, seed + noise)[0]!;
            const found = index
              .query([query], radius, Number.MAX_SAFE_INTEGER)
              .map((m) => `${m.id}@${m.distance}`);
            expect(found.sort()).toEqual(bruteForce(stored, query, radius));
          }
          expect(index.size).toBe(stored.size);
        },
      ),
      { seed: 20240611, numRuns: 30 },
    );
  });

  it('stays exact across automatic rebuilds, at radii beyond 31 too', () => {
    const hashes = clusteredHashes(70_000, 3);
    const index = new MihReuseIndex();
    const stored = new Map<string, Uint8Array>();
    hashes.forEach((hash, i) => {
      index.add(`h${i}`, hash);
      stored.set(`h${i}`, hash);
    });
    expect(index.footprint().postingBytes).toBeGreaterThan(0);
    const random = seededRandom(9);
    for (const radius of [0, 8, 31, 40]) {
      const query = flipBits(hashes[Math.floor(random() * hashes.length)]!, radius >> 1, random);
      const found = index
        .query([query], radius, Number.MAX_SAFE_INTEGER)
        .map((m) => `${m.id}@${m.distance}`);
      expect(found.sort()).toEqual(bruteForce(stored, query, radius));
    }
  });

  it.each([15, 23, 31])(
    'finds a match at radius %i whose differences are spread as evenly as the pigeonhole allows',
    (radius) => {
      // Seven words differ by ⌊r/8⌋+1 bits and the last by ⌊r/8⌋, each split across its two halves.
      const perWord = Math.floor(radius / 8);
      const query = clusteredHashes(1, radius)[0]!;
      const spread = Uint8Array.from(query);
      for (let word = 0; word < 8; word++) {
        const bits = word < 7 ? perWord + 1 : perWord;
        for (let b = 0; b < bits; b++) {
          // Alternate halves: bit b goes to byte 4w + (b odd ? 2 : 0) of the little-endian word.
          const byte = 4 * word + (b % 2 === 0 ? 0 : 2) + (b >> 1 >= 8 ? 1 : 0);
          spread[byte]! ^= 1 << ((b >> 1) & 7);
        }
      }
      expect(hammingDistance(query, spread)).toBe(radius);
      const index = new MihReuseIndex();
      index.add('spread', spread);
      index.compact();
      expect(index.query([query], radius, 1)).toEqual([
        { id: 'spread', distance: radius, variant: 0 },
      ]);
      expect(index.query([query], radius - 1, 1)).toEqual([]);
    },
  );

  it('orders matches closest first and honours the limit', () => {
    const random = seededRandom(4);
    const base = clusteredHashes(1, 4)[0]!;
    const index = new MihReuseIndex();
    [12, 0, 5, 30].forEach((bits, i) => index.add(`copy-${i}`, flipBits(base, bits, random)));
    const matches = index.query([base], 31, 3);
    expect(matches.map((m) => m.id)).toEqual(['copy-1', 'copy-2', 'copy-0']);
    expect(matches.map((m) => m.distance)).toEqual(
      [...matches.map((m) => m.distance)].sort((a, b) => a - b),
    );
    expect(index.query([base], 31, 0)).toEqual([]);
  });

  it('replaces the hash of an id added twice and forgets removed ids', () => {
    const [first, second] = clusteredHashes(2, 8) as [Uint8Array, Uint8Array];
    const index = new MihReuseIndex();
    index.add('a', first);
    index.add('a', second);
    expect(index.size).toBe(1);
    expect(index.query([first], 10, 10)).toEqual([]);
    expect(index.query([second], 0, 10)).toEqual([{ id: 'a', distance: 0, variant: 0 }]);
    expect(index.remove('a')).toBe(true);
    expect(index.remove('a')).toBe(false);
    expect(index.has('a')).toBe(false);
    expect(index.query([second], 31, 10)).toEqual([]);
  });

  it('refuses malformed hashes, ids and radii', () => {
    const index = new MihReuseIndex();
    expect(() => index.add('x', new Uint8Array(31))).toThrow(RangeError);
    expect(() => index.add('', new Uint8Array(32))).toThrow(RangeError);
    expect(() => index.add('\uD800', new Uint8Array(32))).toThrow(RangeError);
    expect(() => index.query(new Uint8Array(32), 257, 1)).toThrow(RangeError);
    expect(() => index.query(new Uint8Array(32), 1.5, 1)).toThrow(RangeError);
    expect(() => index.query([new Uint8Array(8)], 3, 1)).toThrow(RangeError);
  });

  describe('with real PDQ hashes of rotated and mirrored photos', () => {
    const photos = Array.from({ length: 6 }, (_, i) => syntheticPhoto(320, 240, 40 + i));
    const index = new MihReuseIndex();
    photos.forEach((photo, i) => index.add(`claim-${i}/photo`, pdqHash(photo).hash));

    it('finds a photo turned a quarter clockwise through the exact dihedral variants', async () => {
      const turned = await toRaster(sharpFrom(photos[2]!).rotate(90));
      const [match, ...rest] = index.query(pdqDihedral(turned).hashes, 31, 5);
      expect(match).toMatchObject({ id: 'claim-2/photo', transform: 'rotate90' });
      // Decimating a 4:3 image samples different rows once turned, so allow the usual match radius.
      expect(match!.distance).toBeLessThanOrEqual(31);
      expect(rest).toEqual([]);
    });

    it('finds a mirrored photo from its hash alone, using estimated variants', async () => {
      const mirrored = await toRaster(sharpFrom(photos[4]!).flop());
      const [match] = index.query(pdqHash(mirrored).hash, 31, 5);
      expect(match).toMatchObject({ id: 'claim-4/photo', transform: 'flipY' });
    });

    it('finds nothing for an unrelated photo', () => {
      expect(index.query(pdqDihedral(syntheticPhoto(320, 240, 99)).hashes, 31, 5)).toEqual([]);
    });
  });
});
