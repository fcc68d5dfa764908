/**
 * Property-based fuzzing of the intake path: valid JPEG, PNG and WebP files
 * are mutated (bit flips, truncation, duplicated chunks and segments, random
 * insertions, header fields set to edge values) and every outcome must be a
 * sane decoded image or an EvidenceError, promptly. The seed is fixed so a
 * failure reproduces; fast-check prints the counterexample and its path.
 */
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { EvidenceError, type EvidenceErrorCode } from '../errors.js';
import type { ImageLimits, RasterImage } from '../model.js';
import { decodeImage, openImage } from './decode.js';
import { fromRaster, noisyPhoto } from './fixtures/images.js';

/** The fixed fast-check seed for this suite; change it only on purpose. */
const SEED = 20_261_201;
const RUNS_PER_FORMAT = 200;
/** Far above any decode of these tiny files; exceeding it means a hang. */
const CALL_TIMEOUT_MS = 15_000;
/** Small caps, so a mutated size field can never make a call allocate much. */
const LIMITS: ImageLimits = {
  maxBytes: 512 * 1024,
  maxPixels: 1_000_000,
  maxMetadataBytes: 64 * 1024,
};

const CODES = new Set<EvidenceErrorCode>([
  'EVIDENCE_EMPTY',
  'EVIDENCE_TOO_LARGE',
  'EVIDENCE_TOO_MANY_PIXELS',
  'EVIDENCE_UNSUPPORTED_FORMAT',
  'EVIDENCE_SVG_REFUSED',
  'EVIDENCE_CORRUPT',
  'EVIDENCE_METADATA_TOO_LARGE',
]);

type Format = 'jpeg' | 'png' | 'webp';

/** The [start, end) spans of a file's top-level chunks or segments, for structure-aware duplication. */
function spans(bytes: Uint8Array, format: Format): [number, number][] {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found: [number, number][] = [];
  if (format === 'png') {
    for (let at = 8; at + 12 <= view.length; at += view.readUInt32BE(at) + 12) {
      found.push([at, Math.min(view.length, at + view.readUInt32BE(at) + 12)]);
    }
  } else if (format === 'webp') {
    for (
      let at = 12;
      at + 8 <= view.length;
      at += 8 + view.readUInt32LE(at + 4) + (view.readUInt32LE(at + 4) & 1)
    ) {
      found.push([at, Math.min(view.length, at + 8 + view.readUInt32LE(at + 4))]);
    }
  } else {
    for (
      let at = 2;
      at + 4 <= view.length && view[at] === 0xff && view[at + 1] !== 0xda;
      at += 2 + view.readUInt16BE(at + 2)
    ) {
      found.push([at, Math.min(view.length, at + 2 + view.readUInt16BE(at + 2))]);
    }
  }
  return found;
}

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate-span'; which: number; to: number }
  | { kind: 'duplicate-range'; from: number; length: number; to: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'field'; offset: number; value: number; size: 1 | 2 | 4; littleEndian: boolean };

// Unbiased: fast-check's default bias towards small values would mostly hit the magic bytes.
const fraction = fc.noBias(fc.integer({ min: 0, max: 2 ** 20 - 1 })).map((n) => n / 2 ** 20);
// Weighted towards changes that keep the structure walkable, so the codecs (not just the guard) see damage.
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('flip' as const),
      at: fraction,
      bit: fc.integer({ min: 0, max: 7 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fraction }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('duplicate-span' as const),
      which: fc.nat(),
      to: fraction,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('duplicate-range' as const),
      from: fraction,
      length: fc.integer({ min: 1, max: 4096 }),
      to: fraction,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: fraction,
      bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('field' as const),
      offset: fc.noBias(fc.integer({ min: 0, max: 96 })),
      value: fc.constantFrom(0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0xffffffff),
      size: fc.constantFrom(1 as const, 2 as const, 4 as const),
      littleEndian: fc.boolean(),
    }),
  },
);

/** Bytes that identify the format; mutations land after them so the decoders, not the sniffer, get the work. */
const MAGIC_LENGTH: Record<Format, number> = { jpeg: 3, png: 8, webp: 12 };

function mutate(input: Uint8Array, format: Format, mutations: readonly Mutation[]): Uint8Array {
  let bytes = Buffer.from(input);
  const magic = MAGIC_LENGTH[format];
  const pos = (f: number) => Math.min(bytes.length, magic + Math.floor(f * (bytes.length - magic)));
  for (const m of mutations) {
    switch (m.kind) {
      case 'flip':
        if (pos(m.at) < bytes.length) bytes[pos(m.at)]! ^= 1 << m.bit;
        break;
      case 'truncate':
        bytes = bytes.subarray(0, pos(m.at));
        break;
      case 'duplicate-span': {
        const all = spans(bytes, format);
        if (all.length === 0) break;
        const [start, end] = all[m.which % all.length]!;
        const at = pos(m.to);
        bytes = Buffer.concat([
          bytes.subarray(0, at),
          bytes.subarray(start, end),
          bytes.subarray(at),
        ]);
        break;
      }
      case 'duplicate-range': {
        const start = pos(m.from);
        const at = pos(m.to);
        bytes = Buffer.concat([
          bytes.subarray(0, at),
          bytes.subarray(start, start + m.length),
          bytes.subarray(at),
        ]);
        break;
      }
      case 'insert': {
        const at = pos(m.at);
        bytes = Buffer.concat([bytes.subarray(0, at), m.bytes, bytes.subarray(at)]);
        break;
      }
      case 'field': {
        const offset = magic + m.offset;
        if (offset + m.size > bytes.length) break;
        const value = m.value % 2 ** (8 * m.size);
        if (m.littleEndian) bytes.writeUIntLE(value, offset, m.size);
        else bytes.writeUIntBE(value, offset, m.size);
        break;
      }
    }
  }
  return bytes;
}

/** Rewrites every complete PNG chunk's CRC, so mutated chunk data gets past libspng's checksum and into the inflater. */
function repairPngCrcs(bytes: Uint8Array): Uint8Array {
  const out = Buffer.from(bytes);
  for (let at = 8; at + 12 <= out.length;) {
    const length = out.readUInt32BE(at);
    if (at + 12 + length > out.length) break;
    out.writeUInt32BE(crc32(out.subarray(at + 4, at + 8 + length)), at + 8 + length);
    at += 12 + length;
  }
  return out;
}

function assertSaneRaster(raster: RasterImage): void {
  expect(raster.channels).toBe(3);
  expect(raster.width).toBeGreaterThan(0);
  expect(raster.height).toBeGreaterThan(0);
  expect(raster.width * raster.height).toBeLessThanOrEqual(LIMITS.maxPixels);
  expect(raster.data.length).toBe(raster.width * raster.height * 3);
}

/** Decodes one mutated file by the full or the reduced path; throws on anything but a sane image or an EvidenceError. */
async function checkOne(bytes: Uint8Array, reduced: boolean): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`decode exceeded ${CALL_TIMEOUT_MS} ms`)),
      CALL_TIMEOUT_MS,
    );
  });
  const work = async () => {
    if (reduced) {
      const opened = await openImage(bytes, LIMITS);
      assertSaneRaster(await opened.analysisPixels(32));
    } else {
      const image = await decodeImage(bytes, LIMITS);
      assertSaneRaster(image.pixels);
      expect(image.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(['jpeg', 'png', 'webp', 'gif', 'avif', 'heic']).toContain(image.format);
      expect(image.orientation).toBeGreaterThanOrEqual(1);
      expect(image.orientation).toBeLessThanOrEqual(8);
    }
  };
  try {
    await Promise.race([work(), timeout]);
  } catch (error) {
    if (error instanceof EvidenceError && CODES.has(error.code)) return;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

describe('decoding mutated files (fast-check, fixed seed)', () => {
  const seeds: Record<Format, Uint8Array[]> = { jpeg: [], png: [], webp: [] };

  beforeAll(async () => {
    const photo = fromRaster(noisyPhoto(48, 32, 11));
    const alpha = photo.clone().ensureAlpha(0.6);
    seeds.jpeg = [
      await photo.clone().jpeg({ quality: 80 }).withMetadata({ orientation: 6 }).toBuffer(),
      await photo.clone().jpeg({ progressive: true }).toBuffer(),
    ];
    seeds.png = [
      await photo.clone().png().toBuffer(),
      await alpha.clone().png({ palette: true }).withMetadata({ orientation: 3 }).toBuffer(),
    ];
    seeds.webp = [
      await photo.clone().webp({ quality: 70 }).withMetadata({ orientation: 8 }).toBuffer(),
      await alpha.clone().webp({ lossless: true }).toBuffer(),
    ];
  });

  for (const format of ['jpeg', 'png', 'webp'] as const) {
    it(`always resolves to a sane image or rejects with an EvidenceError for mutated ${format}`, async () => {
      // The unmutated seeds must decode, or the property would pass vacuously.
      for (const bytes of seeds[format])
        assertSaneRaster((await decodeImage(bytes, LIMITS)).pixels);
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: seeds[format].length - 1 }),
          fc.array(mutation, { minLength: 1, maxLength: 3 }),
          fc.boolean(),
          fc.boolean(),
          async (which, mutations, reduced, repairCrcs) => {
            const mutated = mutate(seeds[format][which]!, format, mutations);
            await checkOne(
              format === 'png' && repairCrcs ? repairPngCrcs(mutated) : mutated,
              reduced,
            );
          },
        ),
        { seed: SEED, numRuns: RUNS_PER_FORMAT },
      );
    });
  }
});
