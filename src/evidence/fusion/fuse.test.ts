import { describe, expect, it } from 'vitest';
import type { Signal } from '../model.js';
import { collectRegions, fuseSignals, verdictFor } from './fuse.js';

const signal = (
  family: Signal['family'],
  strength: number,
  regions?: Signal['regions'],
): Signal => ({
  id: `${family}.test`,
  family,
  strength,
  reason: { zh: '测试', en: 'test' },
  ...(regions ? { regions } : {}),
});

describe('fusing signals', () => {
  it('scores a photo with no findings as 0 and passes it', () => {
    expect(fuseSignals([signal('provenance', 0), signal('reference', 0)])).toEqual({
      score: 0,
      verdict: 'pass',
    });
  });

  it('lets one strong reference finding reject on its own', () => {
    expect(fuseSignals([signal('reference', 0.95)]).verdict).toBe('reject');
  });

  it('never lets local-manipulation statistics alone condemn a photo', () => {
    const result = fuseSignals([signal('manipulation', 1)]);
    expect(result.verdict).not.toBe('reject');
    expect(result.score).toBeLessThan(0.35);
  });

  it('adds independent moderate findings up', () => {
    const one = fuseSignals([signal('provenance', 0.4)]).score;
    const two = fuseSignals([signal('provenance', 0.4), signal('screen', 0.6)]).score;
    expect(two).toBeGreaterThan(one);
    expect(two).toBeLessThanOrEqual(1);
  });

  it('ignores out-of-range and non-finite strengths safely', () => {
    expect(fuseSignals([signal('reference', Number.NaN), signal('reuse', -3)]).score).toBe(0);
    expect(fuseSignals([signal('reference', 7)]).score).toBe(1);
  });

  it('maps scores to verdicts at the thresholds', () => {
    expect(verdictFor(0.34, { review: 0.35, reject: 0.8 })).toBe('pass');
    expect(verdictFor(0.35, { review: 0.35, reject: 0.8 })).toBe('review');
    expect(verdictFor(0.8, { review: 0.35, reject: 0.8 })).toBe('reject');
  });
});

describe('collecting regions', () => {
  it('puts the strongest family first and drops boxes inside ones already taken', () => {
    const regions = collectRegions([
      signal('manipulation', 0.9, [{ x: 0, y: 0, w: 10, h: 10 }]),
      signal('reference', 0.8, [
        { x: 100, y: 100, w: 50, h: 50 },
        { x: 110, y: 110, w: 10, h: 10 },
      ]),
    ]);
    expect(regions).toEqual([
      { x: 100, y: 100, w: 50, h: 50 },
      { x: 0, y: 0, w: 10, h: 10 },
    ]);
  });
});
