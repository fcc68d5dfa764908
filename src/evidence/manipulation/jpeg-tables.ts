/**
 * A bounded reader for a JPEG's quantisation tables (DQT) and frame header,
 * and an IJG-style quality estimate. It walks the marker segments up to the
 * first scan and never reads past the buffer, whatever the bytes say.
 */

/** The JPEG zigzag scan: entry i is the natural (row-major) index of the i-th coefficient. */
export const ZIGZAG: readonly number[] = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
  13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52,
  45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

// ITU-T T.81 Annex K tables (natural order), the base every IJG-derived encoder scales.
const ANNEX_K_LUMA = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
  14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113,
  92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const ANNEX_K_CHROMA = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
  47, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
];

/** One quantisation table, in natural (row-major) order. */
export interface QuantTable {
  id: number;
  values: Uint16Array;
}

/** What the headers say about how the JPEG was last compressed. */
export interface JpegQuantInfo {
  /** The table used by the first (luminance) component. */
  luma: QuantTable;
  chroma?: QuantTable;
  /** Best IJG quality (1–100) for the luminance table. */
  quality: number;
  /** True when the tables are exactly IJG-scaled Annex K tables (libjpeg, PIL, sharp, most apps). */
  standardTables: boolean;
  /** Mean absolute step error of the best IJG fit; 0 for standard tables. */
  fitError: number;
  progressive: boolean;
  width: number;
  height: number;
  /** Luma sampling factors, e.g. 2×2 for 4:2:0. */
  sampling: { h: number; v: number };
}

const MAX_SEGMENTS = 1024;

/** Reads DQT and SOF from a JPEG; undefined when the bytes are not a JPEG or carry no usable tables. */
export function readJpegQuantInfo(bytes: Uint8Array): JpegQuantInfo | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  const tables = new Map<number, QuantTable>();
  let frame: { width: number; height: number; progressive: boolean; comps: number[][] } | undefined;
  let pos = 2;
  for (let segments = 0; segments < MAX_SEGMENTS && pos + 4 <= bytes.length; segments++) {
    if (bytes[pos] !== 0xff) return undefined;
    const marker = bytes[pos + 1]!;
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break; // EOI or the first scan: tables are known
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2;
      continue;
    }
    const length = (bytes[pos + 2]! << 8) | bytes[pos + 3]!;
    const end = pos + 2 + length;
    if (length < 2 || end > bytes.length) return undefined;
    if (marker === 0xdb) readDqt(bytes, pos + 4, end, tables);
    else if (isSof(marker)) frame = readSof(bytes, pos + 4, end, marker);
    pos = end;
  }
  if (!frame) return undefined;
  const lumaComp = frame.comps[0];
  const luma = lumaComp ? tables.get(lumaComp[3]!) : undefined;
  if (!luma || !lumaComp) return undefined;
  const chromaComp = frame.comps[1];
  const chroma = chromaComp ? tables.get(chromaComp[3]!) : undefined;
  const fit = estimateQuality(luma.values, chroma?.values);
  return {
    luma,
    ...(chroma ? { chroma } : {}),
    quality: fit.quality,
    standardTables: fit.error === 0,
    fitError: fit.error,
    progressive: frame.progressive,
    width: frame.width,
    height: frame.height,
    sampling: { h: lumaComp[1]!, v: lumaComp[2]! },
  };
}

function isSof(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function readDqt(
  bytes: Uint8Array,
  start: number,
  end: number,
  out: Map<number, QuantTable>,
): void {
  let p = start;
  while (p < end) {
    const pq = bytes[p]! >> 4;
    const id = bytes[p]! & 15;
    const size = pq === 0 ? 64 : 128;
    if (p + 1 + size > end || id > 3) return;
    const values = new Uint16Array(64);
    for (let i = 0; i < 64; i++) {
      const v = pq === 0 ? bytes[p + 1 + i]! : (bytes[p + 1 + 2 * i]! << 8) | bytes[p + 2 + 2 * i]!;
      values[ZIGZAG[i]!] = v;
    }
    out.set(id, { id, values });
    p += 1 + size;
  }
}

function readSof(
  bytes: Uint8Array,
  start: number,
  end: number,
  marker: number,
): { width: number; height: number; progressive: boolean; comps: number[][] } | undefined {
  if (start + 6 > end) return undefined;
  const height = (bytes[start + 1]! << 8) | bytes[start + 2]!;
  const width = (bytes[start + 3]! << 8) | bytes[start + 4]!;
  const n = bytes[start + 5]!;
  const comps: number[][] = [];
  for (let i = 0; i < n && start + 6 + 3 * i + 3 <= end; i++) {
    const o = start + 6 + 3 * i;
    comps.push([bytes[o]!, bytes[o + 1]! >> 4, bytes[o + 1]! & 15, bytes[o + 2]!]);
  }
  const progressive = marker === 0xc2 || marker === 0xc6 || marker === 0xca || marker === 0xce;
  return { width, height, progressive, comps };
}

/** The IJG (libjpeg `jpeg_quality_scaling`) table for a quality in 1–100. */
export function ijgTable(quality: number, chroma = false): Uint16Array {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const scale = q < 50 ? Math.floor(5000 / q) : 200 - 2 * q;
  const base = chroma ? ANNEX_K_CHROMA : ANNEX_K_LUMA;
  const out = new Uint16Array(64);
  for (let i = 0; i < 64; i++)
    out[i] = Math.min(255, Math.max(1, Math.floor((base[i]! * scale + 50) / 100)));
  return out;
}

/** The IJG quality whose tables are closest to the given ones (mean absolute step difference). */
export function estimateQuality(
  luma: Uint16Array,
  chroma?: Uint16Array,
): { quality: number; error: number } {
  let best = { quality: 50, error: Infinity };
  for (let q = 1; q <= 100; q++) {
    const l = ijgTable(q);
    let err = 0;
    for (let i = 0; i < 64; i++) err += Math.abs(l[i]! - luma[i]!);
    let n = 64;
    if (chroma) {
      const c = ijgTable(q, true);
      for (let i = 0; i < 64; i++) err += Math.abs(c[i]! - chroma[i]!);
      n = 128;
    }
    if (err / n < best.error) best = { quality: q, error: err / n };
  }
  return { quality: best.quality, error: Math.round(best.error * 1000) / 1000 };
}
