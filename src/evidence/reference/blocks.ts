/**
 * Block measurements between the claim and the explained reference: local
 * correlation, and the Lucas–Kanade shift that would best align each block.
 * A copy leaves every textured block correlated and unshifted; a new
 * viewpoint leaves blocks displaced by parallax.
 */

/** One block's evidence; NaN where the block is flat or ill-conditioned. */
export interface BlockMeasure {
  cx: number;
  cy: number;
  /** Shift d such that claim(x) ≈ reference(x + d), in frame pixels. */
  dx: number;
  dy: number;
  corr: number;
}

/** Variance (gray levels²) below which a block is treated as flat. */
const FLAT_VARIANCE = 16;

/**
 * Measures `block`-sized tiles fully inside `mask`. `c` and `p` are the
 * (equally blurred) claim and explained reference.
 */
export function measureBlocks(
  c: Float32Array,
  p: Float32Array,
  mask: Uint8Array,
  width: number,
  height: number,
  block: number,
): BlockMeasure[] {
  const out: BlockMeasure[] = [];
  for (let y0 = 1; y0 + block < height - 1; y0 += block) {
    for (let x0 = 1; x0 + block < width - 1; x0 += block) {
      let n = 0,
        sc = 0,
        sp = 0,
        scc = 0,
        spp = 0,
        scp = 0;
      let gxx = 0,
        gxy = 0,
        gyy = 0,
        bx = 0,
        by = 0,
        sgx = 0,
        sgy = 0;
      let full = true;
      for (let y = y0; y < y0 + block && full; y++) {
        const row = y * width;
        for (let x = x0; x < x0 + block; x++) {
          const i = row + x;
          if (!mask[i]) {
            full = false;
            break;
          }
          const cv = c[i]!,
            pv = p[i]!;
          n++;
          sc += cv;
          sp += pv;
          scc += cv * cv;
          spp += pv * pv;
          scp += cv * pv;
          const gx = (p[i + 1]! - p[i - 1]!) / 2;
          const gy = (p[i + width]! - p[i - width]!) / 2;
          const d = cv - pv;
          gxx += gx * gx;
          gxy += gx * gy;
          gyy += gy * gy;
          bx += gx * d;
          by += gy * d;
          sgx += gx;
          sgy += gy;
        }
      }
      if (!full || n === 0) continue;
      const vc = scc / n - (sc / n) ** 2;
      const vp = spp / n - (sp / n) ** 2;
      const m: BlockMeasure = {
        cx: x0 + block / 2 - 0.5,
        cy: y0 + block / 2 - 0.5,
        dx: Number.NaN,
        dy: Number.NaN,
        corr: Number.NaN,
      };
      if (vc >= FLAT_VARIANCE && vp >= FLAT_VARIANCE)
        m.corr = (scp / n - (sc / n) * (sp / n)) / Math.sqrt(vc * vp);
      const det = gxx * gyy - gxy * gxy;
      const tr = gxx + gyy;
      const minEig = tr / 2 - Math.sqrt(Math.max(0, (tr * tr) / 4 - det));
      // Both gradient directions must be present, or the shift is only known along one axis.
      if (det > 0 && minEig / n > 4) {
        // Remove the block's mean offset so a local brightness change does not read as motion.
        const offset = sc / n - sp / n;
        bx -= offset * sgx;
        by -= offset * sgy;
        // claim ≈ p + ∇p·d  ⇒  (Σ ∇p∇pᵀ)·d = Σ ∇p·(claim − p)
        m.dx = (gyy * bx - gxy * by) / det;
        m.dy = (gxx * by - gxy * bx) / det;
      }
      out.push(m);
    }
  }
  return out;
}
