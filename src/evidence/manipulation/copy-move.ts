/**
 * Copy-move detection without a reference: is part of the image a copy of
 * another part (to hide something or to duplicate damage)?
 *
 * On a copy about 400 pixels long, a dense nearest-neighbour field
 * (PatchMatch, seeded with blocks of the same coarse appearance) pairs every
 * textured 8×8 block with its most similar block at least a minimum distance
 * away. Inside a cloned area the field is constant (every block points to
 * its twin by the same displacement), elsewhere it is noise. The best
 * clusters of locally constant displacement are then verified
 * (copy-move-verify.ts) and the first one that holds is the finding.
 */
import {
  checkCandidate,
  detailPasses,
  samplePixels,
  type DetailPasses,
} from './copy-move-verify.js';
import {
  connectedComponents,
  downscaleGrey,
  type Component,
  type GreyImage,
} from './raster-ops.js';

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
  /** Blocks that voted for the displacement, as a fraction of all blocks searched. */
  support: number;
  /** Correlation around the areas (high when a pattern simply repeats). */
  surround: number;
}

/** What the search looked at, and the verified clone if any. */
export interface CopyMoveResult {
  finding?: CopyMoveFinding;
  /** Candidate clusters considered, with why they were dropped. */
  candidates: Array<{
    dx: number;
    dy: number;
    support: number;
    verdict: string;
    correlation?: number;
    offPeak?: number;
    periodic?: number;
    surround?: number;
  }>;
  workScale: number;
}

const BLOCK_CELLS = 4; // features: a 4×4 grid of 2×2-pixel means = an 8×8 block
const CELL_PX = 2;
const BLOCK = BLOCK_CELLS * CELL_PX;
const FEATURES = BLOCK_CELLS * BLOCK_CELLS;
// Query blocks every 2 work pixels; every 3 when that would exceed this many queries,
// which keeps the search time flat for large images at little cost in reach.
const MAX_FINE_QUERIES = 12_000;
const ITERATIONS = 3; // seeding finds most twins; the passes spread and refine them
const SEEDS = 6; // same-key candidates tried per block
// Feature indices of the four 2×2 quadrants of the 4×4 feature grid.
const QUADRANTS = [
  [0, 1, 4, 5],
  [2, 3, 6, 7],
  [8, 9, 12, 13],
  [10, 11, 14, 15],
] as const;
const WORK_SIDE = 400; // long side of the search image: clones of ~40 px survive, the search stays cheap

/** Searches the image for a cloned area; `seed` fixes the random search so results are reproducible. */
export function detectCopyMove(image: GreyImage, seed = 0x5eed): CopyMoveResult {
  const factor = Math.max(1, Math.round(Math.max(image.width, image.height) / WORK_SIDE));
  const work = downscaleGrey(image, factor);
  const result: CopyMoveResult = { candidates: [], workScale: factor };
  if (work.width < 48 || work.height < 48) return result;

  const blocks = blockFeatures(work);
  const { Wq, nq, stride } = blocks;
  const minShift = Math.max(BLOCK * 2, Math.round(0.05 * Math.max(work.width, work.height)));
  const field = nearestField(blocks, minShift * minShift, mulberry32(seed));
  const consistent = consistentBlocks(blocks, field);

  const minSupport = Math.max(12, Math.round(0.002 * nq));
  const tried: Array<{ dx: number; dy: number }> = [];
  let passes: DetailPasses | undefined; // built on first use: most photos have no candidate
  for (const c of rankDisplacements(field, consistent)) {
    if (c.support < minSupport || result.candidates.length >= 4) break;
    if (tried.some((t) => Math.abs(t.dx - c.dx) <= 2 && Math.abs(t.dy - c.dy) <= 2)) continue;
    tried.push(c);
    const support = round4(c.support / nq);
    const area = clusterArea(c.dx, c.dy, field, consistent, blocks);
    if (!area) {
      result.candidates.push({
        dx: c.dx * factor,
        dy: c.dy * factor,
        support,
        verdict: 'scattered',
      });
      continue;
    }
    const { box: cells, members } = area;
    const box = {
      x: cells.x0 * stride,
      y: cells.y0 * stride,
      w: Math.min(work.width, (cells.x1 - cells.x0) * stride + BLOCK),
      h: Math.min(work.height, (cells.y1 - cells.y0) * stride + BLOCK),
    };
    passes ??= detailPasses(work);
    const grid = { stride, block: BLOCK, width: work.width, height: work.height };
    const check = checkCandidate(work, passes, samplePixels(members, Wq, grid), box, c.dx, c.dy);
    const { verdict, correlation, offPeak, periodic, surround } = check;
    result.candidates.push({
      dx: c.dx * factor,
      dy: c.dy * factor,
      support,
      verdict,
      correlation,
      offPeak,
      periodic,
      ...(surround !== undefined ? { surround } : {}),
    });
    if (verdict === 'clone' && !result.finding) {
      const moved = { ...box, x: box.x + check.dx, y: box.y + check.dy };
      result.finding = {
        a: scaleBox(box, factor, image),
        b: scaleBox(moved, factor, image),
        displacement: { dx: check.dx * factor, dy: check.dy * factor },
        correlation,
        offPeak,
        periodic,
        areaFraction: round3((members.length * stride * stride) / (work.width * work.height)),
        support,
        surround: surround ?? 0,
      };
    }
  }
  return result;
}

/** The search grid: packed features of every block origin, and which query blocks have texture. */
interface Blocks {
  /** 16 features (2×2 means on a 4×4 grid) per block origin, packed: one cache line per block. */
  features: Uint8ClampedArray;
  /** Spread of each query block's features. */
  texture: Float32Array;
  /** 1 for query blocks with enough texture to match meaningfully (flat blocks match anything). */
  textured: Uint8Array;
  /** Valid block origins. */
  Wp: number;
  Hp: number;
  /** Query grid: every `stride`-th origin. */
  stride: number;
  Wq: number;
  Hq: number;
  nq: number;
}

function blockFeatures(work: GreyImage): Blocks {
  const { width: W, height: H, data } = work;
  const means = new Float32Array(W * H);
  for (let y = 0; y < H - 1; y++)
    for (let x = 0; x < W - 1; x++) {
      const i = y * W + x;
      means[i] = (data[i]! + data[i + 1]! + data[i + W]! + data[i + W + 1]!) / 4;
    }
  const offsets: number[] = [];
  for (let r = 0; r < BLOCK_CELLS; r++)
    for (let c = 0; c < BLOCK_CELLS; c++) offsets.push(r * CELL_PX * W + c * CELL_PX);
  const Wp = W - BLOCK + 1;
  const Hp = H - BLOCK + 1;
  const features = new Uint8ClampedArray(Wp * Hp * FEATURES); // clamped arrays round on write
  for (let y = 0; y < Hp; y++)
    for (let x = 0; x < Wp; x++) {
      const p = y * W + x;
      const o = (y * Wp + x) * FEATURES;
      for (let k = 0; k < FEATURES; k++) features[o + k] = means[p + offsets[k]!]!;
    }
  const stride = Math.ceil(Wp / 2) * Math.ceil(Hp / 2) > MAX_FINE_QUERIES ? 3 : 2;
  const Wq = Math.ceil(Wp / stride);
  const Hq = Math.ceil(Hp / stride);
  const texture = new Float32Array(Wq * Hq);
  const textured = new Uint8Array(Wq * Hq);
  for (let qy = 0; qy < Hq; qy++)
    for (let qx = 0; qx < Wq; qx++) {
      const o = (qy * stride * Wp + qx * stride) * FEATURES;
      let s = 0;
      let s2 = 0;
      for (let k = 0; k < FEATURES; k++) {
        const v = features[o + k]!;
        s += v;
        s2 += v * v;
      }
      const sd = Math.sqrt(Math.max(0, s2 / FEATURES - (s / FEATURES) ** 2));
      texture[qy * Wq + qx] = sd;
      textured[qy * Wq + qx] = sd >= 4 ? 1 : 0;
    }
  return { features, texture, textured, Wp, Hp, stride, Wq, Hq, nq: Wq * Hq };
}

/** The nearest-neighbour field: displacement and squared feature distance per query block. */
interface Field {
  offX: Int16Array;
  offY: Int16Array;
  best: Float32Array;
}

/** Blocks with a close match whose neighbours (5×5 on the query grid) mostly agree on the displacement. */
function consistentBlocks(blocks: Blocks, field: Field): Uint8Array {
  const { Wq, Hq, nq, textured, texture } = blocks;
  const { offX, offY, best } = field;
  const good = new Uint8Array(nq);
  for (let q = 0; q < nq; q++) {
    if (textured[q] === 0 || !Number.isFinite(best[q]!)) continue;
    // Close relative to the block's own contrast, with a floor for JPEG noise.
    good[q] = Math.sqrt(best[q]! / FEATURES) <= Math.max(3, 0.3 * texture[q]!) ? 1 : 0;
  }
  const consistent = new Uint8Array(nq);
  for (let qy = 0; qy < Hq; qy++)
    for (let qx = 0; qx < Wq; qx++) {
      const q = qy * Wq + qx;
      if (good[q] === 0) continue;
      let agree = 0;
      for (let y = Math.max(0, qy - 2); y <= Math.min(Hq - 1, qy + 2); y++)
        for (let x = Math.max(0, qx - 2); x <= Math.min(Wq - 1, qx + 2); x++) {
          const r = y * Wq + x;
          if (
            r !== q &&
            good[r] === 1 &&
            Math.abs(offX[r]! - offX[q]!) <= 1 &&
            Math.abs(offY[r]! - offY[q]!) <= 1
          )
            agree++;
        }
      consistent[q] = agree >= 8 ? 1 : 0;
    }
  return consistent;
}

/** Canonical displacements (d and -d are one pair) ranked by votes, each counting its ±1 neighbours. */
function rankDisplacements(
  field: Field,
  consistent: Uint8Array,
): Array<{ dx: number; dy: number; support: number }> {
  const votes = new Map<number, number>();
  const key = (dx: number, dy: number): number => (dx + 4096) * 8192 + dy + 4096;
  for (let q = 0; q < consistent.length; q++) {
    if (consistent[q] === 0) continue;
    const [cx, cy] = canonical(field.offX[q]!, field.offY[q]!);
    votes.set(key(cx, cy), (votes.get(key(cx, cy)) ?? 0) + 1);
  }
  return [...votes.keys()]
    .map((k) => {
      const dx = Math.floor(k / 8192) - 4096;
      const dy = (k % 8192) - 4096;
      let support = 0;
      for (let a = -1; a <= 1; a++)
        for (let b = -1; b <= 1; b++) {
          const [cx, cy] = canonical(dx + a, dy + b);
          support += votes.get(key(cx, cy)) ?? 0;
        }
      return { dx, dy, support };
    })
    .sort((a, b) => b.support - a.support);
}

/**
 * PatchMatch over the query grid: random initialisation, then alternating
 * scans that try the neighbours' displacements and random ones around the
 * current best at shrinking radii. The block distance is the inner loop, so
 * it reads 16 packed bytes per block and gives up as soon as it exceeds the
 * best so far.
 */
function nearestField(blocks: Blocks, minShift2: number, rand: () => number): Field {
  const { features: m, Wp, Hp, Wq, Hq, textured, stride } = blocks;
  const nq = Wq * Hq;
  const offX = new Int16Array(nq);
  const offY = new Int16Array(nq);
  const best = new Float32Array(nq).fill(Infinity);
  const attempt = (q: number, px: number, py: number, dx: number, dy: number): void => {
    const tx = px + dx;
    const ty = py + dy;
    if (tx < 0 || ty < 0 || tx >= Wp || ty >= Hp || dx * dx + dy * dy < minShift2) return;
    const limit = best[q]!;
    const p = (py * Wp + px) * 16;
    const t = (ty * Wp + tx) * 16;
    let s = 0;
    for (let k = 0; k < 16; k += 4) {
      const d0 = m[p + k]! - m[t + k]!;
      const d1 = m[p + k + 1]! - m[t + k + 1]!;
      const d2 = m[p + k + 2]! - m[t + k + 2]!;
      const d3 = m[p + k + 3]! - m[t + k + 3]!;
      s += d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3;
      if (s >= limit) return;
    }
    best[q] = s;
    offX[q] = dx;
    offY[q] = dy;
  };
  // Seeding: blocks whose coarse appearance (quadrant means, 8 levels each) is the same
  // are tried first. Random search alone rarely lands on a small clone's exact twin;
  // an exact copy almost always shares its twin's coarse key.
  const keyOf = (q: number): number => {
    const o = (Math.floor(q / Wq) * stride * Wp + (q % Wq) * stride) * 16;
    let key = 0;
    for (const quad of QUADRANTS) {
      const v = (m[o + quad[0]]! + m[o + quad[1]]! + m[o + quad[2]]! + m[o + quad[3]]!) >> 7;
      key = (key << 3) | v;
    }
    return key;
  };
  const keys = new Int32Array(nq);
  const bucketSize = new Int32Array(4096);
  for (let q = 0; q < nq; q++) {
    if (textured[q] === 0) continue;
    keys[q] = keyOf(q);
    bucketSize[keys[q]!] = bucketSize[keys[q]!]! + 1;
  }
  const bucketStart = new Int32Array(4097);
  for (let k = 0; k < 4096; k++) bucketStart[k + 1] = bucketStart[k]! + bucketSize[k]!;
  const members = new Int32Array(bucketStart[4096]!);
  const fill = bucketStart.slice(0, 4096);
  for (let q = 0; q < nq; q++) {
    if (textured[q] === 0) continue;
    members[fill[keys[q]!]!] = q;
    fill[keys[q]!] = fill[keys[q]!]! + 1;
  }
  for (let q = 0; q < nq; q++) {
    if (textured[q] === 0) continue;
    const px = (q % Wq) * stride;
    const py = Math.floor(q / Wq) * stride;
    const b0 = bucketStart[keys[q]!]!;
    const size = bucketStart[keys[q]! + 1]! - b0;
    for (let k = 0; k < Math.min(SEEDS, size); k++) {
      const r = members[b0 + Math.floor(rand() * size)]!;
      attempt(q, px, py, (r % Wq) * stride - px, Math.floor(r / Wq) * stride - py);
    }
    for (let k = 0; k < 2; k++)
      attempt(q, px, py, Math.floor(rand() * Wp) - px, Math.floor(rand() * Hp) - py);
  }
  const maxRadius = Math.max(Wp, Hp) >> 1;
  for (let it = 0; it < ITERATIONS; it++) {
    const forward = it % 2 === 0;
    const step = forward ? -1 : 1; // neighbours already visited in this pass
    for (let n = 0; n < nq; n++) {
      const q = forward ? n : nq - 1 - n;
      if (textured[q] === 0) continue;
      const qx = q % Wq;
      const qy = (q - qx) / Wq;
      const px = qx * stride;
      const py = qy * stride;
      const nx = qx + step;
      const ny = qy + step;
      if (nx >= 0 && nx < Wq && textured[q + step] === 1)
        attempt(q, px, py, offX[q + step]!, offY[q + step]!);
      if (ny >= 0 && ny < Hq && textured[q + step * Wq] === 1)
        attempt(q, px, py, offX[q + step * Wq]!, offY[q + step * Wq]!);
      for (let radius = maxRadius; radius >= 2; radius >>= 1) {
        const dx = offX[q]! + Math.round((rand() * 2 - 1) * radius);
        const dy = offY[q]! + Math.round((rand() * 2 - 1) * radius);
        attempt(q, px, py, dx, dy);
      }
    }
  }
  return { offX, offY, best };
}

function canonical(dx: number, dy: number): [number, number] {
  return dx > 0 || (dx === 0 && dy > 0) ? [dx, dy] : [-dx, -dy];
}

/**
 * The largest connected area of blocks that point along the cluster's
 * displacement, folded onto one side: blocks that point back (the twin
 * side) are moved by the displacement so both sides vote for one area.
 */
function clusterArea(
  dx: number,
  dy: number,
  field: Field,
  consistent: Uint8Array,
  blocks: Blocks,
): { box: Component; members: number[] } | undefined {
  const { offX, offY } = field;
  const { Wq, Hq, stride } = blocks;
  const mask = new Uint8Array(Wq * Hq);
  const sx = Math.round(dx / stride);
  const sy = Math.round(dy / stride);
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
  const { labels, components } = connectedComponents(mask, Wq, Hq);
  let largest = 0;
  for (let i = 1; i < components.length; i++)
    if (components[i]!.area > components[largest]!.area) largest = i;
  const box = components[largest];
  // A clone smaller than about 4×4 query blocks (16×16 work pixels) is not worth a claim.
  if (!box || box.area < 16) return undefined;
  const members: number[] = [];
  for (let q = 0; q < labels.length; q++) if (labels[q] === largest + 1) members.push(q);
  return { box, members };
}

/** A work-resolution box in analysis pixels, clipped to the image. */
function scaleBox(
  box: { x: number; y: number; w: number; h: number },
  factor: number,
  image: { width: number; height: number },
): { x: number; y: number; w: number; h: number } {
  const x = Math.max(0, box.x * factor);
  const y = Math.max(0, box.y * factor);
  return {
    x,
    y,
    w: Math.min(image.width, (box.x + box.w) * factor) - x,
    h: Math.min(image.height, (box.y + box.h) * factor) - y,
  };
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

function round4(v: number): number {
  return Math.round(v * 10000) / 10000;
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
