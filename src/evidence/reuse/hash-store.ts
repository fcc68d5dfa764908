/**
 * Append-only storage of 256-bit hashes as eight little-endian 32-bit words
 * each, in fixed chunks so growth never copies and never over-allocates by
 * more than one chunk.
 */

/** Entries per chunk (2 MiB of hashes). */
export const CHUNK_ENTRIES = 65536;
/** 32-bit words per hash. */
export const WORDS = 8;

/** Chunked word storage; entry i is at chunks[i >>> 16], words (i & 0xffff) * 8 onwards. */
export class HashStore {
  readonly chunks: Uint32Array[] = [];
  length = 0;

  /** Appends a 32-byte hash and returns its position. */
  push(hash: Uint8Array): number {
    const position = this.length;
    const slot = position % CHUNK_ENTRIES;
    if (slot === 0) this.chunks.push(new Uint32Array(CHUNK_ENTRIES * WORDS));
    const chunk = this.chunks[this.chunks.length - 1]!;
    for (let w = 0, b = 0; w < WORDS; w++, b += 4)
      chunk[slot * WORDS + w] =
        (hash[b]! | (hash[b + 1]! << 8) | (hash[b + 2]! << 16) | (hash[b + 3]! << 24)) >>> 0;
    this.length++;
    return position;
  }

  /** The 32 bytes stored at `position`. */
  bytes(position: number): Uint8Array {
    const chunk = this.chunks[Math.floor(position / CHUNK_ENTRIES)]!;
    const base = (position % CHUNK_ENTRIES) * WORDS;
    const out = new Uint8Array(WORDS * 4);
    for (let w = 0; w < WORDS; w++) {
      const word = chunk[base + w]!;
      out[4 * w] = word & 0xff;
      out[4 * w + 1] = (word >>> 8) & 0xff;
      out[4 * w + 2] = (word >>> 16) & 0xff;
      out[4 * w + 3] = word >>> 24;
    }
    return out;
  }

  /** 16-bit substring `table` (0–15) of the hash at `position`. */
  substring(position: number, table: number): number {
    const word =
      this.chunks[Math.floor(position / CHUNK_ENTRIES)]![
        (position % CHUNK_ENTRIES) * WORDS + (table >>> 1)
      ]!;
    return table & 1 ? word >>> 16 : word & 0xffff;
  }

  /** Substring `table` of every stored hash, in position order. */
  substrings(table: number): Uint16Array {
    const out = new Uint16Array(this.length);
    const word = table >>> 1;
    const shift = (table & 1) * 16;
    for (let position = 0; position < this.length; position += CHUNK_ENTRIES) {
      const chunk = this.chunks[position / CHUNK_ENTRIES]!;
      const n = Math.min(CHUNK_ENTRIES, this.length - position);
      for (let i = 0; i < n; i++) out[position + i] = chunk[i * WORDS + word]! >>> shift;
    }
    return out;
  }

  /** Bytes held by the chunks. */
  get byteLength(): number {
    return this.chunks.length * CHUNK_ENTRIES * WORDS * 4;
  }
}

/** A hash's eight little-endian words, in the store's layout. */
export function hashWords(hash: Uint8Array): Uint32Array {
  const words = new Uint32Array(WORDS);
  for (let w = 0, b = 0; w < WORDS; w++, b += 4)
    words[w] = (hash[b]! | (hash[b + 1]! << 8) | (hash[b + 2]! << 16) | (hash[b + 3]! << 24)) >>> 0;
  return words;
}
