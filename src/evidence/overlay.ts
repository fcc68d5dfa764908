import sharp from 'sharp';
import type { RasterImage, Region } from './model.js';

/**
 * Renders the reviewer's overlay as PNG: the claim with the changed regions
 * outlined on the left, and on the right the aligned reference (or, without
 * one, the change or error-level map) so both can be compared side by side.
 */
export async function renderOverlay(input: {
  claim: RasterImage;
  /** Regions in original claim pixels. */
  regions: readonly Region[];
  originalSize: { width: number; height: number };
  companion?: RasterImage;
}): Promise<Buffer> {
  const { claim } = input;
  const scale = claim.width / input.originalSize.width;
  const stroke = Math.max(2, Math.round(claim.width / 300));
  const boxes = input.regions
    .map((r) => {
      const x = Math.round(r.x * scale);
      const y = Math.round(r.y * scale);
      const w = Math.max(1, Math.round(r.w * scale));
      const h = Math.max(1, Math.round(r.h * scale));
      return `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="none" stroke="#ff2d2d" stroke-width="${stroke}"/>`;
    })
    .join('');
  const svg = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${claim.width}" height="${claim.height}">${boxes}</svg>`,
  );
  const left = await sharp(
    Buffer.from(claim.data.buffer, claim.data.byteOffset, claim.data.byteLength),
    {
      raw: { width: claim.width, height: claim.height, channels: claim.channels },
    },
  )
    .composite([{ input: svg, top: 0, left: 0 }])
    .png()
    .toBuffer();
  if (!input.companion) return left;

  const companion = input.companion;
  const right = await sharp(
    Buffer.from(companion.data.buffer, companion.data.byteOffset, companion.data.byteLength),
    {
      raw: { width: companion.width, height: companion.height, channels: companion.channels },
    },
  )
    .resize({ width: claim.width, height: claim.height, fit: 'contain', background: '#000000' })
    .png()
    .toBuffer();
  const gap = 8;
  return sharp({
    create: {
      width: claim.width * 2 + gap,
      height: claim.height,
      channels: 3,
      background: '#ffffff',
    },
  })
    .composite([
      { input: left, left: 0, top: 0 },
      { input: right, left: claim.width + gap, top: 0 },
    ])
    .png()
    .toBuffer();
}
