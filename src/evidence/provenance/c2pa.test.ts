import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { summarizeStore } from './c2pa-validate.js';
import { c2paSignals } from './c2pa-signals.js';
import { readContainers, readMetadata } from './read-metadata.js';
import type { C2paReport, MetadataBundle } from './model.js';
import { plainPng, pngChunk, webpWith, withChunks } from './test-support/builders.js';

interface IndexEntry {
  file: string;
  has_manifest: boolean;
  expected_validation: 'none' | 'invalid' | 'untrusted-but-intact' | 'valid';
  observed_c2pa_wasm_0_15_0: {
    validation_state: 'Valid' | 'Invalid' | 'Trusted' | null;
    failure_codes: string[];
  };
}

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.join(here, 'fixtures', 'c2pa');
/** The full collection lives outside the repository; CI may not have it. */
const DEV_SET = path.resolve(here, '../../../../shared/evidence-dev/c2pa');

function loadIndex(folder: string): IndexEntry[] {
  return JSON.parse(readFileSync(path.join(folder, 'index.json'), 'utf8')) as IndexEntry[];
}

/** The README's check: no manifest → none; invalid → invalid; otherwise intact. Compared with what c2pa-wasm 0.15.0 observed. */
async function checkCollection(folder: string): Promise<void> {
  for (const entry of loadIndex(folder)) {
    const bytes = new Uint8Array(readFileSync(path.join(folder, entry.file)));
    const bundle = await readMetadata(bytes, 'jpeg');
    const observed = entry.observed_c2pa_wasm_0_15_0.validation_state;
    expect(Boolean(bundle.c2pa), entry.file).toBe(entry.has_manifest);
    if (observed === null) continue;
    const state = bundle.c2pa?.report?.state;
    if (observed === 'Invalid') {
      expect(state, entry.file).toBe('invalid');
      expect(bundle.c2pa?.report?.failureCodes, entry.file).toEqual(
        expect.arrayContaining(entry.observed_c2pa_wasm_0_15_0.failure_codes),
      );
    } else {
      expect(['valid', 'untrusted'], entry.file).toContain(state);
    }
    if (entry.expected_validation === 'invalid') expect(state, entry.file).toBe('invalid');
  }
}

describe('C2PA validation with c2pa-wasm', () => {
  it('matches the expected outcome of the bundled public test files', async () => {
    await checkCollection(FIXTURES);
  });

  it.skipIf(!existsSync(path.join(DEV_SET, 'index.json')))(
    'matches the expected outcome of all 24 files of the evidence-dev collection',
    async () => {
      await checkCollection(DEV_SET);
    },
  );

  it('reads the claim generator and actions of an intact manifest and reports it with strength 0', async () => {
    const bundle = await readMetadata(
      new Uint8Array(readFileSync(path.join(FIXTURES, 'adobe-20220124-C.jpg'))),
      'jpeg',
    );
    const report = bundle.c2pa?.report;
    expect(report).toMatchObject({
      state: 'untrusted',
      claimGenerator: 'make_test_images/0.16.1 c2pa-rs/0.16.1',
      signerIssuer: 'C2PA Test Signing Cert',
    });
    expect(report?.actions.map((a) => a.action)).toEqual(['c2pa.created', 'c2pa.drawing']);
    const signals = c2paSignals(bundle);
    expect(signals.map((s) => s.id)).toEqual(['provenance.c2pa_edited']);
    expect(signals[0]?.reason.en).toContain('c2pa.drawing');
  });

  it('rates a manifest whose data hash no longer matches as medium', async () => {
    const bundle = await readMetadata(
      new Uint8Array(readFileSync(path.join(FIXTURES, 'adobe-20220124-XCA.jpg'))),
      'jpeg',
    );
    const [signal] = c2paSignals(bundle);
    expect(signal).toMatchObject({ id: 'provenance.c2pa_invalid', strength: 0.5 });
    expect(signal?.reason.en).toContain('assertion.dataHash.mismatch');
  });

  it('finds a manifest moved into a PNG caBX chunk or a WebP C2PA chunk, and sees it no longer matches', async () => {
    const source = readContainers(
      new Uint8Array(readFileSync(path.join(FIXTURES, 'adobe-20220124-C.jpg'))),
      'jpeg',
    );
    const store = source.c2pa!.jumbf;
    const png = withChunks(await plainPng(), [pngChunk('caBX', store)]);
    const webp = await webpWith(32, 24, [{ fourcc: 'C2PA', data: store }]);
    for (const [bytes, format] of [
      [png, 'png'],
      [webp, 'webp'],
    ] as const) {
      const bundle = await readMetadata(bytes, format);
      expect(bundle.c2pa?.source).toBe(format === 'png' ? 'png:caBX' : 'webp:C2PA');
      expect(bundle.c2pa?.report?.claimGenerator).toBe('make_test_images/0.16.1 c2pa-rs/0.16.1');
      expect(bundle.c2pa?.report?.state).toBe('invalid');
    }
  });
});

function bundleWith(report: C2paReport): MetadataBundle {
  return {
    format: 'jpeg',
    pngText: [],
    comments: [],
    metadataBytes: 0,
    warnings: [],
    c2pa: { jumbf: new Uint8Array(), source: 'jpeg:APP11', report },
  };
}

const IPTC = 'http://cv.iptc.org/newscodes/digitalsourcetype/';

describe('C2PA signals', () => {
  it('rates a declared trainedAlgorithmicMedia source as very strong', () => {
    const report = summarizeStore({
      active_manifest: 'm1',
      validation_state: 'Valid',
      manifests: {
        m1: {
          claim_generator_info: [{ name: 'Adobe Firefly', version: '1.0' }],
          assertions: [
            {
              label: 'c2pa.actions.v2',
              data: {
                actions: [
                  {
                    action: 'c2pa.created',
                    digitalSourceType: `${IPTC}trainedAlgorithmicMedia`,
                    softwareAgent: { name: 'Adobe Firefly' },
                  },
                ],
              },
            },
          ],
        },
      },
    });
    const [signal] = c2paSignals(bundleWith(report));
    expect(signal).toMatchObject({ id: 'provenance.c2pa_ai_generated', strength: 0.95 });
    expect(signal?.reason.en).toContain('trainedAlgorithmicMedia');
    expect(signal?.reason.zh).toContain('Adobe Firefly');
  });

  it('rates an AI ingredient composited into the photo as strong', () => {
    const report = summarizeStore({
      active_manifest: 'm2',
      validation_state: 'Valid',
      manifests: {
        m1: {
          assertions: [
            {
              label: 'c2pa.actions',
              data: {
                actions: [
                  {
                    action: 'c2pa.created',
                    digitalSourceType: `${IPTC}compositeWithTrainedAlgorithmicMedia`,
                  },
                ],
              },
            },
          ],
        },
        m2: {
          claim_generator: 'Photoshop',
          assertions: [{ label: 'c2pa.actions', data: { actions: [{ action: 'c2pa.placed' }] } }],
        },
      },
    });
    const signals = c2paSignals(bundleWith(report));
    expect(signals).toHaveLength(1);
    expect(signals[0]).toMatchObject({ id: 'provenance.c2pa_ai_generated', strength: 0.85 });
  });

  it('reports an intact camera capture as exculpatory information with strength 0', () => {
    const report = summarizeStore({
      active_manifest: 'cam',
      validation_state: 'Trusted',
      manifests: {
        cam: {
          claim_generator: 'Leica M11-P',
          assertions: [
            {
              label: 'c2pa.actions',
              data: {
                actions: [{ action: 'c2pa.created', digitalSourceType: `${IPTC}digitalCapture` }],
              },
            },
          ],
        },
      },
    });
    const [signal] = c2paSignals(bundleWith(report));
    expect(signal).toMatchObject({ id: 'provenance.c2pa_intact', strength: 0 });
    expect(signal?.details?.declaresCapture).toBe(true);
    expect(signal?.reason.en).toContain('camera capture');
  });

  it('keeps an expired certificate alone weak', () => {
    const report = summarizeStore({
      active_manifest: 'n',
      validation_state: 'Invalid',
      manifests: { n: { claim_generator: 'Nikon Z 9' } },
      validation_results: { activeManifest: { failure: [{ code: 'signingCredential.expired' }] } },
    });
    expect(c2paSignals(bundleWith(report))[0]).toMatchObject({
      id: 'provenance.c2pa_invalid',
      strength: 0.2,
    });
  });

  it('still sees an AI source type in an unvalidated store', () => {
    const jumbf = new Uint8Array(Buffer.from(`....${IPTC}trainedAlgorithmicMedia....`, 'latin1'));
    const bundle: MetadataBundle = {
      format: 'png',
      pngText: [],
      comments: [],
      metadataBytes: 0,
      warnings: [],
      c2pa: { jumbf, source: 'png:caBX' },
    };
    expect(c2paSignals(bundle)[0]).toMatchObject({
      id: 'provenance.c2pa_ai_generated',
      strength: 0.8,
    });
  });

  it('turns a store the validator cannot read into a weak signal, not an exception', () => {
    expect(summarizeStore(null).state).toBe('unreadable');
    expect(summarizeStore({ manifests: 5, validation_results: 'x' }).state).toBe('untrusted');
  });
});
