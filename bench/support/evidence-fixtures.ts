import sharp from 'sharp';

const WIDTH = 4000;
const HEIGHT = 3000;

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

/** A photo-like product scene: lit shapes, texture and sensor noise, so features and JPEG behave like a photo. */
function scene(width: number, height: number, seed: number): Buffer {
  const raw = Buffer.alloc(width * height * 3);
  let s = seed;
  const noise = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 24) / 16 - 8;
  };
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const u = x / width;
      const v = y / height;
      const light = 80 + 90 * Math.sin((u + v) * 3 + seed);
      const box = Math.abs(u - 0.5) < 0.22 && Math.abs(v - 0.5) < 0.3 ? 60 : 0;
      const texture =
        22 * Math.sin(x / (9 + (seed % 7))) * Math.cos(y / 13) + 14 * Math.sin((x + 2 * y) / 5.3);
      const i = (y * width + x) * 3;
      raw[i] = clamp(light + box + texture + noise() + 25);
      raw[i + 1] = clamp(light + box * 0.6 + texture + noise());
      raw[i + 2] = clamp(light - box * 0.3 + texture * 0.8 + noise() - 10);
    }
  }
  return raw;
}

/**
 * The bench's case: a 12-MP phone-style claim (JPEG q90) with a dark crack
 * drawn on a scene whose 800-px downscale is the merchant's first reference
 * (JPEG q92), plus two unrelated references, like the dev set's cracked
 * forgeries.
 */
export async function evidenceFixtures(): Promise<{ claim: Buffer; references: Buffer[] }> {
  const full = sharp(scene(WIDTH, HEIGHT, 11), {
    raw: { width: WIDTH, height: HEIGHT, channels: 3 },
  });
  const references = [await full.clone().resize(800, 600).jpeg({ quality: 92 }).toBuffer()];
  for (const seed of [23, 37]) {
    references.push(
      await sharp(scene(800, 600, seed), { raw: { width: 800, height: 600, channels: 3 } })
        .jpeg({ quality: 92 })
        .toBuffer(),
    );
  }
  const crack = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}"><polyline points="1500,1200 1620,1310 1700,1290 1820,1450 1900,1480" fill="none" stroke="#1a1410" stroke-width="9"/></svg>`,
  );
  const claim = await full
    .clone()
    .composite([{ input: crack }])
    .jpeg({ quality: 90 })
    .toBuffer();
  return { claim, references };
}
