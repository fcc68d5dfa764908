import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hammingDistance, hammingWeight, hashFromHex, hashToHex, popcount32 } from './hamming.js';

const naivePopcount = (x: number): number => (x >>> 0).toString(2).replaceAll('0', '').length;

describe('hamming helpers', () => {
  it('counts the set bits of any 32-bit word', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }),
        (x) => popcount32(x) === naivePopcount(x),
      ),
      { seed: 5, numRuns: 2000 },
    );
    expect(popcount32(0xffffffff)).toBe(32);
  });

  it('measures distance as the number of differing bits, for any length', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 40 })
          .chain((n) =>
            fc.tuple(
              fc.uint8Array({ minLength: n, maxLength: n }),
              fc.uint8Array({ minLength: n, maxLength: n }),
            ),
          ),
        ([a, b]) => {
          let naive = 0;
          a.forEach((byte, i) => (naive += naivePopcount(byte ^ b[i]!)));
          return (
            hammingDistance(a, b) === naive &&
            hammingDistance(b, a) === naive &&
            hammingDistance(a, a) === 0
          );
        },
      ),
      { seed: 6, numRuns: 500 },
    );
  });

  it('refuses to compare hashes of different lengths', () => {
    expect(() => hammingDistance(new Uint8Array(32), new Uint8Array(8))).toThrow(RangeError);
  });

  it('round-trips hex and rejects anything that is not hex', () => {
    const hash = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
    expect(hashFromHex(hashToHex(hash))).toEqual(hash);
    expect(hashToHex(new Uint8Array([0, 15, 255]))).toBe('000fff');
    expect(hammingWeight(hashFromHex('ff01'))).toBe(9);
    expect(() => hashFromHex('abc')).toThrow(RangeError);
    expect(() => hashFromHex('zz')).toThrow(RangeError);
  });
});
