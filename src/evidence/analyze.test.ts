import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { analyzeEvidence } from './analyze.js';
import { EvidenceError } from './errors.js';

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

/** A textured, lit "product photo" with a seeded pattern, so keypoints and JPEG behave like a photo's. */
function scene(width: number, height: number, seed: number): Buffer {
  const raw = Buffer.alloc(width * height * 3);
  let s = seed;
  const noise = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 24) / 32 - 4;
  };
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const u = x / width;
      const v = y / height;
      const blob = Math.sin(u * (7 + seed) + Math.cos(v * 5 * seed)) * 40;
      const box = Math.abs(u - 0.5) < 0.2 && Math.abs(v - 0.45) < 0.25 ? 50 : 0;
      const texture =
        18 * Math.sin(x / (5 + (seed % 5))) * Math.cos(y / 7) +
        12 * Math.sin((x * seed + 3 * y) / 11);
      const i = (y * width + x) * 3;
      raw[i] = clamp(110 + blob + box + texture + noise());
      raw[i + 1] = clamp(100 + blob * 0.7 + box * 0.5 + texture + noise());
      raw[i + 2] = clamp(90 - blob * 0.4 + texture * 0.8 + noise());
    }
  }
  return raw;
}

async function jpeg(raw: Buffer, width: number, height: number, quality = 92): Promise<Buffer> {
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality })
    .toBuffer();
}

describe('analyzeEvidence', () => {
  it('rejects a merchant photo with a crack drawn on it and outlines the crack', async () => {
    const reference = await jpeg(scene(800, 600, 3), 800, 600);
    const crack = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="720" height="540"><polyline points="300,200 340,240 360,235 400,290 430,300" fill="none" stroke="#120e0a" stroke-width="5"/></svg>',
    );
    const claim = await sharp(reference)
      .extract({ left: 40, top: 30, width: 720, height: 540 })
      .composite([{ input: crack }])
      .jpeg({ quality: 85 })
      .toBuffer();
    const { report } = await analyzeEvidence(claim, {
      references: [{ bytes: reference, label: 'listing.jpg' }],
    });
    expect(report.verdict).not.toBe('pass');
    expect(report.score).toBeGreaterThan(0.6);
    expect(report.signals.some((s) => s.family === 'reference' && s.strength > 0.5)).toBe(true);
    const hit = report.regions.some(
      (r) => r.x < 430 && r.x + r.w > 300 && r.y < 300 && r.y + r.h > 200,
    );
    expect(hit).toBe(true);
    expect(report.claim).toMatchObject({ format: 'jpeg', width: 720, height: 540 });
  });

  it('passes an unrelated photo', async () => {
    const reference = await jpeg(scene(800, 600, 3), 800, 600);
    const claim = await jpeg(scene(640, 480, 9), 640, 480, 90);
    const { report } = await analyzeEvidence(claim, { references: [{ bytes: reference }] });
    expect(report.verdict).toBe('pass');
    expect(report.score).toBeLessThan(0.35);
  });

  it('rejects a PNG that carries a GB 45438 "AI generated" label', async () => {
    const png = await sharp(scene(320, 240, 5), { raw: { width: 320, height: 240, channels: 3 } })
      .png()
      .withMetadata()
      .toBuffer();
    // Insert a tEXt chunk keyed AIGC after IHDR.
    const label = JSON.stringify({
      Label: '1',
      ContentProducer: 'test',
      ProduceID: 'x',
      ReservedCode1: '',
      ContentPropagator: '',
      PropagateID: '',
      ReservedCode2: '',
    });
    const data = Buffer.concat([Buffer.from('AIGC\0', 'latin1'), Buffer.from(label, 'latin1')]);
    const chunk = Buffer.alloc(12 + data.length);
    chunk.writeUInt32BE(data.length, 0);
    chunk.write('tEXt', 4, 'latin1');
    data.copy(chunk, 8);
    chunk.writeUInt32BE(
      crc32(Buffer.concat([Buffer.from('tEXt', 'latin1'), data])),
      8 + data.length,
    );
    const ihdrEnd = 8 + 25;
    const labelled = Buffer.concat([png.subarray(0, ihdrEnd), chunk, png.subarray(ihdrEnd)]);
    const { report } = await analyzeEvidence(labelled);
    expect(report.verdict).toBe('reject');
    expect(report.signals[0]?.id).toBe('provenance.aigc_label');
  });

  it('refuses bytes that are not an image with a stable code', async () => {
    await expect(
      analyzeEvidence(Buffer.from('<html><body>hi</body></html>')),
    ).rejects.toBeInstanceOf(EvidenceError);
    await expect(analyzeEvidence(Buffer.from('<html></html>'))).rejects.toMatchObject({
      code: 'EVIDENCE_UNSUPPORTED_FORMAT',
    });
  });

  it('reports an unreadable reference instead of failing the analysis', async () => {
    const claim = await jpeg(scene(320, 240, 7), 320, 240);
    const { report } = await analyzeEvidence(claim, {
      references: [{ bytes: Buffer.from('not an image') }],
    });
    expect(report.signals.some((s) => s.id === 'reference.unreadable')).toBe(true);
  });
});

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k += 1) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
