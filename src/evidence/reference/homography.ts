/**
 * 3×3 homography arithmetic on row-major number arrays: composition,
 * inversion, point mapping, and how far a homography is from a similarity.
 */

/** A row-major 3×3 matrix mapping homogeneous points: p' ~ H·p. */
export type Homography = number[];

/** Identity homography. */
export const IDENTITY: Homography = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** Returns a·b (apply b first, then a). */
export function compose(a: Homography, b: Homography): Homography {
  const out = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += a[r * 3 + k]! * b[k * 3 + c]!;
      out[r * 3 + c] = s;
    }
  }
  return out;
}

/** Scales both axes: (x, y) → (sx·x, sy·y). */
export function scaling(sx: number, sy = sx): Homography {
  return [sx, 0, 0, 0, sy, 0, 0, 0, 1];
}

/**
 * Maps pixel-centre coordinates between two samplings of the same picture
 * whose sizes differ by (sx, sy): x' = (x + ½)·sx − ½.
 */
export function resampling(sx: number, sy = sx): Homography {
  return [sx, 0, 0.5 * sx - 0.5, 0, sy, 0.5 * sy - 0.5, 0, 0, 1];
}

/** Shifts points: (x, y) → (x + tx, y + ty). */
export function translation(tx: number, ty: number): Homography {
  return [1, 0, tx, 0, 1, ty, 0, 0, 1];
}

/** Inverse of a homography, or undefined when it is singular. */
export function invert(m: Homography): Homography | undefined {
  const [a, b, c, d, e, f, g, h, i] = m as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) return undefined;
  const inv = [
    A,
    -(b * i - c * h),
    b * f - c * e,
    B,
    a * i - c * g,
    -(a * f - c * d),
    C,
    -(a * h - b * g),
    a * e - b * d,
  ];
  return inv.map((v) => v / det);
}

/** Maps one point; returns NaN coordinates behind the camera (w ≤ 0). */
export function project(m: Homography, x: number, y: number): [number, number] {
  const w = m[6]! * x + m[7]! * y + m[8]!;
  if (!(w > 1e-9)) return [Number.NaN, Number.NaN];
  return [(m[0]! * x + m[1]! * y + m[2]!) / w, (m[3]! * x + m[4]! * y + m[5]!) / w];
}

/** Normalises so that the bottom-right entry is 1. */
export function normalise(m: Homography): Homography {
  const s = m[8]!;
  return Math.abs(s) > 1e-12 ? m.map((v) => v / s) : m.slice();
}

/** Where the four corners of a width×height image land. */
export function projectCorners(m: Homography, width: number, height: number): [number, number][] {
  return [project(m, 0, 0), project(m, width, 0), project(m, width, height), project(m, 0, height)];
}

/** Area of a simple polygon (shoelace), positive for either winding. */
export function polygonArea(points: [number, number][]): number {
  let s = 0;
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i]!;
    const [x2, y2] = points[(i + 1) % points.length]!;
    s += x1 * y2 - x2 * y1;
  }
  return Math.abs(s) / 2;
}

/**
 * How much the projected corners of the source rectangle depart from the best
 * similarity (rotation, uniform scale, shift) of that rectangle, as a fraction
 * of the projected diagonal: 0 for resize/crop/rotate, larger for strong tilt.
 */
export function perspectiveDistortion(m: Homography, width: number, height: number): number {
  const src: [number, number][] = [
    [0, 0],
    [width, 0],
    [width, height],
    [0, height],
  ];
  const dst = projectCorners(m, width, height);
  if (dst.some(([x, y]) => !Number.isFinite(x) || !Number.isFinite(y)))
    return Number.POSITIVE_INFINITY;
  // Closed-form least-squares similarity dst ≈ s·R·src + t.
  let msx = 0,
    msy = 0,
    mdx = 0,
    mdy = 0;
  for (let i = 0; i < 4; i++) {
    msx += src[i]![0] / 4;
    msy += src[i]![1] / 4;
    mdx += dst[i]![0] / 4;
    mdy += dst[i]![1] / 4;
  }
  let sxx = 0,
    sab = 0,
    sba = 0;
  for (let i = 0; i < 4; i++) {
    const ax = src[i]![0] - msx,
      ay = src[i]![1] - msy;
    const bx = dst[i]![0] - mdx,
      by = dst[i]![1] - mdy;
    sxx += ax * ax + ay * ay;
    sab += ax * bx + ay * by;
    sba += ax * by - ay * bx;
  }
  const p = sab / sxx;
  const q = sba / sxx;
  let err = 0;
  for (let i = 0; i < 4; i++) {
    const ax = src[i]![0] - msx,
      ay = src[i]![1] - msy;
    const ex = p * ax - q * ay + mdx - dst[i]![0];
    const ey = q * ax + p * ay + mdy - dst[i]![1];
    err = Math.max(err, Math.hypot(ex, ey));
  }
  const diag = Math.hypot(dst[2]![0] - dst[0]![0], dst[2]![1] - dst[0]![1]);
  return diag > 0 ? err / diag : Number.POSITIVE_INFINITY;
}
