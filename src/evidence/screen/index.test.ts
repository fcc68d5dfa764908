import { describe, expect, it } from 'vitest';
import { naturalImage } from '../manipulation/test-fixtures.js';
import type { Signal } from '../model.js';
import { screenSignals } from './index.js';
import { asAnalysed, phoneScreenshot, screenPhoto } from './test-fixtures.js';

function byId(signals: Signal[], id: string): Signal {
  const s = signals.find((x) => x.id === id);
  if (!s) throw new Error(`missing ${id}`);
  return s;
}

describe('screenSignals', () => {
  // Built once: the canvases are the slow part of these tests.
  const screenshot = phoneScreenshot();
  const screenshotPixels = asAnalysed(screenshot.image, 85);

  it('recognises a phone screenshot and locates the photo and the status bar', async () => {
    const { photo } = screenshot;
    const pixels = await screenshotPixels;
    const signals = screenSignals({ pixels, originalSize: { width: 1170, height: 2532 } });
    const shot = byId(signals, 'screen.screenshot');
    expect(shot.strength).toBeGreaterThanOrEqual(0.6);
    const rect = shot.details?.photoRectangle as { x: number; y: number; w: number; h: number };
    expect(Math.abs(rect.x - photo.x)).toBeLessThan(12);
    expect(Math.abs(rect.y - photo.y)).toBeLessThan(12);
    expect(Math.abs(rect.w - photo.w)).toBeLessThan(24);
    expect(Math.abs(rect.h - photo.h)).toBeLessThan(24);
    expect(shot.details?.statusBar).toBeDefined();
    expect(shot.details?.dimensions).toMatchObject({ match: 'exact' });
    expect(byId(signals, 'screen.recapture').strength).toBeLessThan(0.3);
  });

  it('tempers the screenshot cue a little when the file carries camera EXIF', async () => {
    const pixels = await screenshotPixels;
    const originalSize = { width: 1170, height: 2532 };
    const plain = byId(screenSignals({ pixels, originalSize }), 'screen.screenshot').strength;
    const camera = byId(
      screenSignals({ pixels, originalSize, metadataHints: { hasCameraExif: true } }),
      'screen.screenshot',
    ).strength;
    expect(camera).toBeLessThan(plain);
    expect(camera).toBeGreaterThan(0.5);
  });

  it('recognises a photographed screen from its bezel and moiré', async () => {
    const pixels = await asAnalysed(screenPhoto(), 88);
    const signals = screenSignals({ pixels, originalSize: { width: 720, height: 480 } });
    const recapture = byId(signals, 'screen.recapture');
    expect(recapture.strength).toBeGreaterThanOrEqual(0.5);
    expect((recapture.details?.bezel as unknown[]).length).toBeGreaterThanOrEqual(3);
    expect(recapture.details?.moire).toBeDefined();
    expect(byId(signals, 'screen.screenshot').strength).toBe(0);
  });

  it('counts a bezel without moiré for less than both together', async () => {
    const pixels = await asAnalysed(screenPhoto(2, false), 88);
    const s = byId(
      screenSignals({ pixels, originalSize: { width: 720, height: 480 } }),
      'screen.recapture',
    );
    expect(s.details?.moire).toBeUndefined();
    expect(s.strength).toBeGreaterThan(0.3);
    expect(s.strength).toBeLessThan(0.5);
  });

  it('finds nothing in a plain photo', async () => {
    const pixels = await asAnalysed(naturalImage(800, 600, 17, 2), 85);
    const signals = screenSignals({ pixels, originalSize: { width: 800, height: 600 } });
    expect(signals.map((s) => [s.id, s.strength])).toEqual([
      ['screen.screenshot', 0],
      ['screen.recapture', 0],
    ]);
  });
});
