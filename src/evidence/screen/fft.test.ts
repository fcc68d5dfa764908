import { describe, expect, it } from 'vitest';
import { fft, powerSpectrum } from './fft.js';

describe('fft', () => {
  it('matches the direct DFT', () => {
    const n = 16;
    const x = Array.from({ length: n }, (_, i) => Math.sin(i * 0.9) + (i % 3));
    const re = Float64Array.from(x);
    const im = new Float64Array(n);
    fft(re, im, n);
    for (let k = 0; k < n; k++) {
      let sr = 0;
      let si = 0;
      for (let t = 0; t < n; t++) {
        sr += x[t]! * Math.cos((-2 * Math.PI * k * t) / n);
        si += x[t]! * Math.sin((-2 * Math.PI * k * t) / n);
      }
      expect(re[k]).toBeCloseTo(sr, 9);
      expect(im[k]).toBeCloseTo(si, 9);
    }
  });

  it('puts a pure stripe pattern into its two mirror bins', () => {
    const n = 32;
    const tile = Float64Array.from({ length: n * n }, (_, i) =>
      Math.cos((2 * Math.PI * 5 * (i % n)) / n),
    );
    const p = powerSpectrum(tile, n);
    const total = p.reduce((a, b) => a + b, 0);
    expect((p[5]! + p[n - 5]!) / total).toBeCloseTo(1, 9);
  });
});
