import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EvidenceError } from '../errors.js';
import type { ImageFormat } from '../model.js';
import { c2paSignals } from './c2pa-signals.js';
import { readMetadata } from './read-metadata.js';
import { provenanceSignals } from './signals.js';
import {
  app11Segments,
  c2paJumbf,
  exifSegment,
  extendedXmpSegments,
  heifWith,
  iTXt,
  iptcSegment,
  phoneExif,
  plainJpeg,
  plainPng,
  pngChunk,
  tEXt,
  userComment,
  webpWith,
  withChunks,
  withSegments,
  xmpPacket,
  xmpSegment,
  zTXt,
} from './test-support/builders.js';

/** Byte-level damage: flips, overwrites with extreme values (lengths!), cuts and splices. */
const mutation = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    value: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({
    kind: fc.constant('u32' as const),
    at: fc.nat(),
    value: fc.constantFrom(0, 1, 0xffff, 0x7fffffff, 0xffffffff),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), value: fc.constant(0) }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    at: fc.nat(),
    value: fc.integer({ min: 1, max: 512 }),
  }),
);

type Mutation = { kind: 'flip' | 'u32' | 'truncate' | 'duplicate'; at: number; value: number };

function mutate(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let out = Uint8Array.from(bytes);
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    if (m.kind === 'flip') out[at] = m.value;
    else if (m.kind === 'u32')
      new DataView(out.buffer).setUint32(Math.min(at, Math.max(0, out.length - 4)), m.value >>> 0);
    else if (m.kind === 'truncate') out = out.subarray(0, at);
    else
      out = Uint8Array.from([
        ...out.subarray(0, at),
        ...out.subarray(at, at + m.value),
        ...out.subarray(at),
      ]);
  }
  return out;
}

async function seeds(): Promise<[Uint8Array, ImageFormat][]> {
  const label = '{"AIGC":{"Label":"1","ContentProducer":"X"}}';
  const exif = phoneExif({
    software: 'Meitu',
    thumbnail: await plainJpeg(16, 12),
    extraExif: [userComment(label, 'UNICODE-LE')],
  });
  const xmp = xmpPacket('<t:AIGC>{"Label":"2"}</t:AIGC>', {
    t: 'http://www.tc260.org.cn/ns/AIGC/1.0/',
  });
  const jpeg = withSegments(await plainJpeg(), [
    exifSegment(exif),
    xmpSegment(xmp),
    ...extendedXmpSegments(xmp, 'B'.repeat(32), 100),
    iptcSegment([[2, 65, 'Photoshop']]),
    ...app11Segments(c2paJumbf(400), 150),
  ]);
  const png = withChunks(await plainPng(), [
    tEXt('parameters', 'x\nSteps: 1, Seed: 2'),
    zTXt('AIGC', label),
    iTXt('XML:com.adobe.xmp', xmp, true),
    pngChunk('eXIf', exif),
    pngChunk('caBX', c2paJumbf(50)),
  ]);
  const webp = await webpWith(24, 16, [
    { fourcc: 'EXIF', data: exif },
    { fourcc: 'XMP ', data: Buffer.from(xmp) },
  ]);
  const heif = heifWith({ exif, xmp, width: 64, height: 48 });
  return [
    [jpeg, 'jpeg'],
    [png, 'png'],
    [webp, 'webp'],
    [heif, 'heic'],
  ];
}

describe('fuzzing the metadata reader', () => {
  it('never throws anything but EVIDENCE_METADATA_TOO_LARGE on mutated JPEG, PNG, WebP and HEIF', async () => {
    const inputs = await seeds();
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: inputs.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        async (which, mutations) => {
          const [seed, format] = inputs[which]!;
          const bytes = mutate(seed, mutations);
          try {
            const bundle = await readMetadata(bytes, format, {
              validateC2pa: false,
              maxMetadataBytes: 1 << 20,
            });
            const signals = await provenanceSignals(bundle, {
              deliveredAt: new Date('2025-03-01T00:00:00Z'),
            });
            for (const s of signals) expect(s.strength).toBeGreaterThanOrEqual(0);
          } catch (error) {
            expect(error).toBeInstanceOf(EvidenceError);
            expect((error as EvidenceError).code).toBe('EVIDENCE_METADATA_TOO_LARGE');
          }
        },
      ),
      { numRuns: 400, seed: 20250301 },
    );
  });

  it('turns a damaged C2PA store into a report, not an exception', async () => {
    const synthetic = (await seeds())[0]![0];
    // A real manifest store: damage lands in its CBOR, COSE signature or certificates.
    const real = new Uint8Array(
      readFileSync(
        path.join(
          path.dirname(fileURLToPath(import.meta.url)),
          'fixtures/c2pa/adobe-20220124-C.jpg',
        ),
      ),
    );
    const inManifest = fc.array(
      fc.record({
        kind: fc.constant('flip' as const),
        at: fc.integer({ min: 0, max: 60_000 }),
        value: fc.integer({ min: 0, max: 255 }),
      }),
      { minLength: 1, maxLength: 3 },
    );
    await fc.assert(
      fc.asyncProperty(fc.boolean(), inManifest, async (useReal, mutations) => {
        const bundle = await readMetadata(mutate(useReal ? real : synthetic, mutations), 'jpeg', {
          onOversize: 'skip',
        });
        if (bundle.c2pa)
          expect(['valid', 'untrusted', 'invalid', 'unreadable']).toContain(
            bundle.c2pa.report?.state,
          );
        expect(() => c2paSignals(bundle)).not.toThrow();
      }),
      { numRuns: 16, seed: 7 },
    );
  });
});
