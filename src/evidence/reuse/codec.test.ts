import { Buffer } from 'node:buffer';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EvidenceError } from '../errors.js';
import { seededRandom } from '../hashing/test-support/images.js';
import { MihReuseIndex } from './mih-index.js';

const random = seededRandom(77);
const hashes = Array.from({ length: 300 }, () =>
  Uint8Array.from({ length: 32 }, () => Math.floor(random() * 256)),
);

function sampleIndex(): MihReuseIndex {
  const index = new MihReuseIndex();
  hashes.forEach((hash, i) => index.add(i % 3 === 0 ? `证据-${i}-照片` : `media:${i}`, hash));
  return index;
}

/** Rewrites the trailing CRC so a deliberately altered body passes the checksum and reaches the deeper checks. */
function resealed(bytes: Uint8Array): Uint8Array {
  const copy = Buffer.from(bytes);
  copy.writeUInt32LE(crc32(copy.subarray(0, copy.length - 4)), copy.length - 4);
  return copy;
}

function corruptionOf(bytes: Uint8Array): string {
  try {
    MihReuseIndex.deserialize(bytes);
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(EvidenceError);
    expect(error).toMatchObject({ code: 'EVIDENCE_CORRUPT', kind: 'invalid' });
    return (error as Error).message;
  }
}

describe('reuse index serialisation', () => {
  const index = sampleIndex();
  index.remove('media:1');
  const bytes = index.serialize();

  it('round-trips ids (any script) and hashes, answering queries the same way', () => {
    const copy = MihReuseIndex.deserialize(bytes);
    expect(copy.size).toBe(index.size);
    expect(copy.has('证据-3-照片')).toBe(true);
    expect(copy.has('media:1')).toBe(false);
    for (const query of hashes.slice(0, 20)) {
      expect(copy.query([query], 31, 50)).toEqual(index.query([query], 31, 50));
      expect(copy.query(query, 31, 50)).toEqual(index.query(query, 31, 50));
    }
    expect(Buffer.from(copy.serialize()).equals(Buffer.from(bytes))).toBe(true);
  });

  it('stores about 33 bytes plus the id per entry', () => {
    expect(bytes.length).toBeLessThan(index.size * (33 + 12) + 20);
    expect(MihReuseIndex.deserialize(new MihReuseIndex().serialize()).size).toBe(0);
  });

  it('rejects any single damaged byte with EVIDENCE_CORRUPT', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: bytes.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (at, xor) => {
          const damaged = Uint8Array.from(bytes);
          damaged[at]! ^= xor;
          return corruptionOf(damaged) !== 'accepted';
        },
      ),
      { seed: 31, numRuns: 300 },
    );
  });

  it('explains truncation, foreign files and future versions', () => {
    expect(corruptionOf(bytes.subarray(0, bytes.length - 1))).toMatch(/length|checksum/);
    expect(corruptionOf(new Uint8Array(3))).toMatch(/only 3 bytes/);
    expect(corruptionOf(Buffer.from('{"this is": "a JSON file, not an index"}'))).toMatch(
      /bad magic/,
    );
    const future = Buffer.from(bytes);
    future.writeUInt16LE(2, 4);
    expect(corruptionOf(resealed(future))).toMatch(/version 2 is not supported/);
  });

  it('rejects well-sealed files whose ids repeat or are not UTF-8', () => {
    const two = new MihReuseIndex();
    two.add('aa', new Uint8Array(32));
    two.add('ab', new Uint8Array(32).fill(1));
    const repeated = Buffer.from(two.serialize());
    repeated[repeated.length - 5] = 'a'.charCodeAt(0);
    expect(corruptionOf(resealed(repeated))).toMatch(/repeats the id "aa"/);
    const badUtf8 = Buffer.from(two.serialize());
    badUtf8.set([0xf0, 0x9f], badUtf8.length - 6);
    expect(corruptionOf(resealed(badUtf8))).toMatch(/not valid UTF-8/);
  });
});
