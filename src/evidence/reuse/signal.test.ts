import { describe, expect, it } from 'vitest';
import { reuseSignal, reuseStrength } from './signal.js';

describe('reuseSignal', () => {
  it('reports that it looked and found nothing when there are no matches', () => {
    const signal = reuseSignal([]);
    expect(signal).toMatchObject({ id: 'reuse.near_duplicate', family: 'reuse', strength: 0 });
    expect(signal.reason.en).toMatch(/No earlier evidence/);
  });

  it('is strong for an identical photo and names the earlier evidence in both languages', () => {
    const signal = reuseSignal([
      { id: 'claim-1042', distance: 2, variant: 0, transform: 'original' },
    ]);
    expect(signal.strength).toBe(0.95);
    expect(signal.reason.en).toMatch(/identical to evidence already submitted: claim-1042/);
    expect(signal.reason.zh).toContain('claim-1042');
    expect(signal.details).toEqual({
      bestDistance: 2,
      matchCount: 1,
      matches: [{ id: 'claim-1042', distance: 2, transform: 'original' }],
    });
  });

  it('grades strength down with distance: weaker at the match threshold, nothing far beyond it', () => {
    expect(reuseStrength(0)).toBe(0.95);
    expect(reuseStrength(20)).toBeLessThan(0.95);
    expect(reuseStrength(20)).toBeGreaterThan(reuseStrength(31));
    expect(reuseStrength(31)).toBeCloseTo(0.55);
    expect(reuseStrength(40)).toBeLessThan(0.3);
    expect(reuseStrength(80)).toBe(0);
  });

  it('says when the match was rotated or mirrored and counts the matches it does not name', () => {
    const matches = [25, 14, 30, 28].map((distance, i) => ({
      id: `m${i}`,
      distance,
      variant: i === 1 ? 3 : 0,
    }));
    const signal = reuseSignal(matches);
    expect(signal.reason.en).toMatch(
      /closely matches .* \(rotated or mirrored\): m1, m0, m3 and 1 more \(PDQ distance 14\/256\)/,
    );
    expect(signal.reason.zh).toContain('旋转或镜像');
  });

  it('weakens the signal for a featureless image whose hash says little', () => {
    const match = [{ id: 'x', distance: 0, variant: 0 }];
    expect(reuseSignal(match, { quality: 20 }).strength).toBeLessThan(
      reuseSignal(match, { quality: 90 }).strength / 2,
    );
    expect(reuseSignal(match, { quality: 20 }).reason.en).toMatch(/little detail/);
  });
});
