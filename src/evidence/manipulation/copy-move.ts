/**
 * Copy-move detection without a reference: is part of the image a copy of
 * another part (to hide something or to duplicate damage)?
 *
 * A dense nearest-neighbour field (PatchMatch: random search plus
 * propagation) pairs every textured 8×8 block with its most similar block
 * at least a minimum distance away. Inside a cloned area the field is
 * constant (every block points to its twin by the same displacement), while
 * elsewhere it is noise. The largest cluster of locally constant
 * displacement is then checked at analysis resolution: the two areas must
 * agree in fine detail (high-pass correlation), the match must be sharp
 * (one pixel off already breaks it: rules out straight edges and smooth
 * gradients) and must not repeat at twice or half the displacement (rules
 * out tiles, fabric, text and other periodic textures).
 */
import { boxMean, connectedComponents, downscaleGrey, type GreyImage } from './raster-ops.js';

/** A verified pair of cloned areas, in analysis pixels. */
export interface CopyMoveFinding {
  /** One area of the pair; which one is the original cannot be told from pixels alone. */
  a: { x: number; y: number; w: number; h: number };
  b: { x: number; y: number; w: number; h: number };
  displacement: { dx: number; dy: number };
  /** High-pass correlation of the two areas at the displacement. */
  correlation: number;
  /** Best correlation one to two pixels off the displacement (low for a real clone). */
  offPeak: number;
  /** Correlation at twice / half the displacement (high for periodic texture). */
  periodic: number;
  /** Fraction of the image covered by one area. */
  areaFraction: number;
}

/** What the search looked at, and the verified clone if any. */
export interface CopyMoveResult {
  finding?: CopyMoveFinding;
  /** Candidate clusters considered, with why they were dropped. */
  candidates: Array<{ dx: number; dy: number; support: number; verdict: string }>;
  workScale: number;
}

const BLOCK_CELLS = 4; // features: a 4×4 grid of 2×2-pixel means = an 8×8 block
const CELL_PX = 2;
const BLOCK = BLOCK_CELLS * CELL_PX;
const STRIDE = 2;
const ITERATIONS = 4;

/** Searches the image for a cloned area; `seed` fixes the random search so results are reproducible. */
export function detectCopyMove(image: GreyImage, seed = 0x5eed): CopyMoveResult {
  const factor = Math.max(1, Math.round(Math.max(image.width, image.height) / 512));
  const work = downscaleGrey(image, factor);
  const { width: W, height: H } = work;
  const result: CopyMoveResult = { candidates: [], workScale: factor };
  if (W < 48 || H < 48) return result;

  // 2×2 means: one lookup per feature.
  const means = new Float32Array(W * H);
  for (let y = 0; y < H - 1; y++)
    for (let x = 0; x < W - 1; x++) {
      const i = y * W + x;
      means[i] = (work.data[i]! + work.data[i + 1]! + work.data[i + W]! + work.data[i + W + 1]!) / 4;
    }
  const offsets = new Int32Array(BLOCK_CELLS * BLOCK_CELLS);
  for (let r = 0; r < BLOCK_CELLS; r++)
    for (let c = 0; c < BLOCK_CELLS; c++) offsets[r * BLOCK_CELLS + c] = r * CELL_PX * W + c * CELL_PX;
  const nf = offsets.length;

  const Wp = W - BLOCK + 1; // valid block origins
  const Hp = H - BLOCK + 1;
  const Wq = Math.ceil(Wp / STRIDE);
  const Hq = Math.ceil(Hp / STRIDE);
  const nq = Wq * Hq;
  const minShift = Math.max(BLOCK * 2, Math.round(0.05 * Math.max(W, H)));
  const minShift2 = minShift * minShift;

  // Texture per query block: the spread of its features. Flat blocks match anything.
  const textured = new Uint8Array(nq);
  const texture = new Float32Array(nq);
  for (let qy = 0; qy < Hq; qy++)
    for (let qx = 0; qx < Wq; qx++) {
      const p = qy * STRIDE * W + qx * STRIDE;
      let s = 0;
      let s2 = 0;
      for (let k = 0; k < nf; k++) {
        const v = means[p + offsets[k]!]!;
        s += v;
        s2 += v * v;
      }
      const sd = Math.sqrt(Math.max(0, s2 / nf - (s / nf) ** 2));
      texture[qy * Wq + qx] = sd;
      textured[qy * Wq + qx] = sd >= 4 ? 1 : 0;
    }

  const cost = (p: number, t: number, limit: number): number => {
    let s = 0;
    for (let k = 0; k < nf; k++) {
      const d = means[p + offsets[k]!]! - means[t + offsets[k]!]!;
      s += d * d;
      if (s >= limit) return s;
    }
    return s;
  };

  const rand = mulberry32(seed);
  const offX = new Int16Array(nq);
  const offY = new Int16Array(nq);
  const best = new Float32Array(nq).fill(Infinity);
  const tryOffset = (q: number, px: number, py: number, dx: number, dy: number): void => {
    const tx = px + dx;
    const ty = py + dy;
    if (tx < 0 || ty < 0 || tx >= Wp || ty >= Hp || dx * dx + dy * dy < minShift2) return;
    const c = cost(py * W + px, ty * W + tx, best[q]!);
    if (c < best[q]!) {
      best[q] = c;
      offX[q] = dx;
      offY[q] = dy;
    }
  };
  for (let q = 0; q < nq; q++) {
    if (textured[q] === 0) continue;
    const px = (q % Wq) * STRIDE;
    const py = Math.floor(q / Wq) * STRIDE;
    for (let attempt = 0; attempt < 4; attempt++)
      tryOffset(q, px, py, Math.floor(rand() * Wp) - px, Math.floor(rand() * Hp) - py);
  }
  for (let it = 0; it < ITERATIONS; it++) {
    const forward = it % 2 === 0;
    const step = forward ? -1 : 1; // neighbours already visited in this pass
    for (let n = 0; n < nq; n++) {
      const q = forward ? n : nq - 1 - n;
      if (textured[q] === 0) continue;
      const qx = q % Wq;
      const qy = (q - qx) / Wq;
      const px = qx * STRIDE;
      const py = qy * STRIDE;
      const nx = qx + step;
      const ny = qy + step;
      if (nx >= 0 && nx < Wq && textured[q + step] === 1)
        tryOffset(q, px, py, offX[q + step]!, offY[q + step]!);
      if (ny >= 0 && ny < Hq && textured[q + step * Wq] === 1)
        tryOffset(q, px, py, offX[q + step * Wq]!, offY[q + step * Wq]!);
      for (let radius = Math.max(W, H); radius >= 1; radius >>= 1) {
        const dx = offX[q]! + Math.round((rand() * 2 - 1) * radius);
        const dy = offY[q]! + Math.round((rand() * 2 - 1) * radius);
        tryOffset(q, px, py, dx, dy);
      }
    }
  }

  // Keep good matches whose neighbours agree on the displacement.
  const good = new Uint8Array(nq);
  for (let q = 0; q < nq; q++) {
    if (textured[q] === 0 || !Number.isFinite(best[q]!)) continue;
    const rms = Math.sqrt(best[q]! / nf);
    good[q] = rms <= Math.max(3, 0.3 * texture[q]!) ? 1 : 0;
  }
  const consistent = new Uint8Array(nq);
  for (let qy = 0; qy < Hq; qy++)
    for (let qx = 0; qx < Wq; qx++) {
      const q = qy * Wq + qx;
      if (good[q] === 0) continue;
      let agree = 0;
      for (let dy = -2; dy <= 2; dy++)
        for (let dx = -2; dx <= 2; dx++) {
          const x = qx + dx;
          const y = qy + dy;
          if ((dx === 0 && dy === 0) || x < 0 || y < 0 || x >= Wq || y >= Hq) continue;
          const r = y * Wq + x;
          if (good[r] === 1 && Math.abs(offX[r]! - offX[q]!) <= 1 && Math.abs(offY[r]! - offY[q]!) <= 1)
            agree++;
        }
      consistent[q] = agree >= 8 ? 1 : 0;
    }

  // Vote canonical displacements (d and -d describe the same pair).
  const votes = new Map<number, number>();
  const key = (dx: number, dy: number): number => (dx + 4096) * 8192 + dy + 4096;
  for (let q = 0; q < nq; q++) {
    if (consistent[q] === 0) continue;
    const [cx, cy] = canonical(offX[q]!, offY[q]!);
    votes.set(key(cx, cy), (votes.get(key(cx, cy)) ?? 0) + 1);
  }
  const clusters = [...votes.entries()]
    .map(([k, v]) => ({ dx: Math.floor(k / 8192) - 4096, dy: (k % 8192) - 4096, votes: v }))
    .map((c) => ({ ...c, support: neighbourVotes(votes, key, c.dx, c.dy) }))
    .sort((a, b) => b.support - a.support);
  const minSupport = Math.max(12, Math.round(0.002 * nq));
  const tried: Array<{ dx: number; dy: number }> = [];
  const highPass = highPassOf(image);
  for (const c of clusters) {
    if (c.support < minSupport || result.candidates.length >= 4) break;
    if (tried.some((t) => Math.abs(t.dx - c.dx) <= 2 && Math.abs(t.dy - c.dy) <= 2)) continue;
    tried.push(c);
    const area = clusterArea(c.dx, c.dy, offX, offY, consistent, Wq, Hq);
    if (!area) {
      result.candidates.push({ dx: c.dx, dy: c.dy, support: c.support, verdict: 'scattered' });
      continue;
    }
    const box = {
      x: area.x0 * STRIDE * factor,
      y: area.y0 * STRIDE * factor,
      w: ((area.x1 - area.x0) * STRIDE + BLOCK) * factor,
      h: ((area.y1 - area.y0) * STRIDE + BLOCK) * factor,
    };
    const check = verifyPair(highPass, box, c.dx * factor, c.dy * factor, factor);
    result.candidates.push({ dx: c.dx, dy: c.dy, support: c.support, verdict: check.verdict });
    if (check.verdict === 'clone' && !result.finding) {
      result.finding = {
        a: box,
        b: { ...box, x: box.x + check.dx, y: box.y + check.dy },
        displacement: { dx: check.dx, dy: check.dy },
        correlation: check.correlation,
        offPeak: check.offPeak,
        periodic: check.periodic,
        areaFraction: round3((box.w * box.h) / (image.width * image.height)),
      };
    }
  }
  return result;
}

function canonical(dx: number, dy: number): [number, number] {
  return dx > 0 || (dx === 0 && dy > 0) ? [dx, dy] : [-dx, -dy];
}

function neighbourVotes(
  votes: Map<number, number>,
  key: (dx: number, dy: number) => number,
  dx: number,
  dy: number,
): number {
  let s = 0;
  for (let a = -1; a <= 1; a++)
    for (let b = -1; b <= 1; b++) {
      const [cx, cy] = canonical(dx + a, dy + b);
      s += votes.get(key(cx, cy)) ?? 0;
    }
  return s;
}

/**
 * The largest connected area of blocks that point along the cluster's
 * displacement, folded onto one side: blocks that point back (the twin
 * side) are moved by the displacement so both sides vote for one area.
 */
function clusterArea(
  dx: number,
  dy: number,
  offX: Int16Array,
  offY: Int16Array,
  consistent: Uint8Array,
  Wq: number,
  Hq: number,
): { x0: number; y0: number; x1: number; y1: number; area: number } | undefined {
  const mask = new Uint8Array(Wq * Hq);
  const sx = Math.round(dx / STRIDE);
  const sy = Math.round(dy / STRIDE);
  for (let q = 0; q < Wq * Hq; q++) {
    if (consistent[q] === 0) continue;
    const ox = offX[q]!;
    const oy = offY[q]!;
    if (Math.abs(ox - dx) <= 2 && Math.abs(oy - dy) <= 2) mask[q] = 1;
    else if (Math.abs(ox + dx) <= 2 && Math.abs(oy + dy) <= 2) {
      const x = (q % Wq) - sx;
      const y = Math.floor(q / Wq) - sy;
      if (x >= 0 && y >= 0 && x < Wq && y < Hq) mask[y * Wq + x] = 1;
    }
  }
  const { components } = connectedComponents(mask, Wq, Hq);
  const largest = components.sort((a, b) => b.area - a.area)[0];
  // A clone smaller than about 4×4 query blocks (16×16 work pixels) is not worth a claim.
  if (!largest || largest.area < 16) return undefined;
  return largest;
}

/** Fine detail: the grey image minus its 5×5 mean, so shading and colour shifts do not count. */
function highPassOf(image: GreyImage): GreyImage {
  const blur = boxMean(image.data, image.width, image.height, 2);
  const data = new Float32Array(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = image.data[i]! - blur[i]!;
  return { width: image.width, height: image.height, data };
}

interface PairCheck {
  verdict: 'clone' | 'weak' | 'not_sharp' | 'periodic' | 'flat';
  dx: number;
  dy: number;
  correlation: number;
  offPeak: number;
  periodic: number;
}

function verifyPair(
  hp: GreyImage,
  box: { x: number; y: number; w: number; h: number },
  dx0: number,
  dy0: number,
  factor: number,
): PairCheck {
  // Refine the displacement at full analysis resolution.
  let bestD = { dx: dx0, dy: dy0, r: -1 };
  const reach = factor;
  for (let a = -reach; a <= reach; a++)
    for (let b = -reach; b <= reach; b++) {
      const r = correlation(hp, box, dx0 + a, dy0 + b);
      if (r > bestD.r) bestD = { dx: dx0 + a, dy: dy0 + b, r };
    }
  const { dx, dy, r } = bestD;
  const base = { dx, dy, correlation: round3(r), offPeak: 0, periodic: 0 };
  const energy = boxEnergy(hp, box);
  if (energy < 2) return { ...base, verdict: 'flat' };
  let offPeak = -1;
  for (let a = -2; a <= 2; a++)
    for (let b = -2; b <= 2; b++) {
      if (Math.max(Math.abs(a), Math.abs(b)) !== 2) continue;
      offPeak = Math.max(offPeak, correlation(hp, box, dx + a, dy + b));
    }
  const periodic = Math.max(
    correlation(hp, box, 2 * dx, 2 * dy),
    correlation(hp, box, -dx, -dy),
    correlation(hp, box, Math.round(dx / 2), Math.round(dy / 2)),
  );
  const out = { ...base, offPeak: round3(offPeak), periodic: round3(periodic) };
  if (r < 0.55) return { ...out, verdict: 'weak' };
  if (r - offPeak < 0.25) return { ...out, verdict: 'not_sharp' };
  if (periodic > 0.5 * r) return { ...out, verdict: 'periodic' };
  return { ...out, verdict: 'clone' };
}

/** Zero-mean normalised correlation of the box with the box moved by (dx, dy); -1 when out of bounds. */
function correlation(
  hp: GreyImage,
  box: { x: number; y: number; w: number; h: number },
  dx: number,
  dy: number,
): number {
  const { width, height, data } = hp;
  const x0 = Math.max(box.x, -dx, 0);
  const y0 = Math.max(box.y, -dy, 0);
  const x1 = Math.min(box.x + box.w, width - dx, width);
  const y1 = Math.min(box.y + box.h, height - dy, height);
  if (x1 - x0 < 8 || y1 - y0 < 8) return -1;
  let sa = 0;
  let sb = 0;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  let n = 0;
  for (let y = y0; y < y1; y++) {
    const ra = y * width;
    const rb = (y + dy) * width + dx;
    for (let x = x0; x < x1; x++) {
      const a = data[ra + x]!;
      const b = data[rb + x]!;
      sa += a;
      sb += b;
      saa += a * a;
      sbb += b * b;
      sab += a * b;
      n++;
    }
  }
  const cov = sab / n - (sa / n) * (sb / n);
  const va = saa / n - (sa / n) ** 2;
  const vb = sbb / n - (sb / n) ** 2;
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : -1;
}

function boxEnergy(hp: GreyImage, box: { x: number; y: number; w: number; h: number }): number {
  let s = 0;
  let n = 0;
  for (let y = box.y; y < Math.min(hp.height, box.y + box.h); y++)
    for (let x = box.x; x < Math.min(hp.width, box.x + box.w); x++) {
      const v = hp.data[y * hp.width + x]!;
      s += v * v;
      n++;
    }
  return n > 0 ? Math.sqrt(s / n) : 0;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
