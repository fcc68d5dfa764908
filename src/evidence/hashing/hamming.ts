/**
 * Bit-level helpers shared by every hash in this folder: popcount on 32-bit
 * words, Hamming distance over byte hashes, and hex conversion.
 */

/** Number of set bits in the low 32 bits of `x` (SWAR popcount, no lookup table). */
export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Number of differing bits between two hashes of the same byte length. */
export function hammingDistance(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length)
    throw new RangeError(`hashes differ in length: ${a.length} and ${b.length} bytes`);
  let distance = 0;
  let i = 0;
  // Four bytes at a time so the popcount runs on whole 32-bit words.
  for (; i + 4 <= a.length; i += 4) {
    distance += popcount32(
      (a[i]! ^ b[i]!) |
        ((a[i + 1]! ^ b[i + 1]!) << 8) |
        ((a[i + 2]! ^ b[i + 2]!) << 16) |
        ((a[i + 3]! ^ b[i + 3]!) << 24),
    );
  }
  for (; i < a.length; i++) distance += popcount32(a[i]! ^ b[i]!);
  return distance;
}

/** Number of set bits in a hash. */
export function hammingWeight(hash: Uint8Array): number {
  let weight = 0;
  for (const byte of hash) weight += popcount32(byte);
  return weight;
}

/** Lower-case hex, first byte first (for PDQ this is the reference implementation's text form). */
export function hashToHex(hash: Uint8Array): string {
  let hex = '';
  for (const byte of hash) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** Parses the hex form written by {@link hashToHex}; throws RangeError on anything else. */
export function hashFromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex))
    throw new RangeError(`not a hex hash: ${JSON.stringify(hex.slice(0, 80))}`);
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}
