/**
 * Bounds-checked readers for container headers. Every read past the end
 * throws a TruncatedError, which the inspectors turn into EVIDENCE_CORRUPT,
 * so no parser can run off the buffer or trust a length it cannot see.
 */

/** Raised when a header field lies beyond the bytes at hand. */
export class TruncatedError extends Error {
  override readonly name = 'TruncatedError';
}

function need(bytes: Uint8Array, offset: number, length: number): void {
  if (offset < 0 || offset + length > bytes.length) {
    throw new TruncatedError(`needs ${length} bytes at ${offset}, have ${bytes.length}`);
  }
}

/** Unsigned 8-bit value. */
export function u8(bytes: Uint8Array, offset: number): number {
  need(bytes, offset, 1);
  return bytes[offset]!;
}

/** Unsigned 16-bit big-endian value. */
export function u16be(bytes: Uint8Array, offset: number): number {
  need(bytes, offset, 2);
  return (bytes[offset]! << 8) | bytes[offset + 1]!;
}

/** Unsigned 16-bit little-endian value. */
export function u16le(bytes: Uint8Array, offset: number): number {
  need(bytes, offset, 2);
  return bytes[offset]! | (bytes[offset + 1]! << 8);
}

/** Unsigned 24-bit little-endian value. */
export function u24le(bytes: Uint8Array, offset: number): number {
  need(bytes, offset, 3);
  return bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16);
}

/** Unsigned 32-bit big-endian value. */
export function u32be(bytes: Uint8Array, offset: number): number {
  need(bytes, offset, 4);
  return (
    bytes[offset]! * 0x1000000 +
    ((bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!)
  );
}

/** Unsigned 32-bit little-endian value. */
export function u32le(bytes: Uint8Array, offset: number): number {
  need(bytes, offset, 4);
  return (
    bytes[offset + 3]! * 0x1000000 +
    ((bytes[offset + 2]! << 16) | (bytes[offset + 1]! << 8) | bytes[offset]!)
  );
}

/** Unsigned big-endian value of 0, 1, 2, 4 or 8 bytes (8-byte values beyond 2^53 read as Infinity). */
export function uintBe(bytes: Uint8Array, offset: number, size: number): number {
  switch (size) {
    case 0:
      return 0;
    case 1:
      return u8(bytes, offset);
    case 2:
      return u16be(bytes, offset);
    case 4:
      return u32be(bytes, offset);
    case 8: {
      const value = u32be(bytes, offset) * 0x100000000 + u32be(bytes, offset + 4);
      return Number.isSafeInteger(value) ? value : Infinity;
    }
    default:
      throw new TruncatedError(`unsupported field size ${size}`);
  }
}

/** Four bytes as a Latin-1 string (chunk and box types). */
export function fourcc(bytes: Uint8Array, offset: number): string {
  need(bytes, offset, 4);
  return String.fromCharCode(
    bytes[offset]!,
    bytes[offset + 1]!,
    bytes[offset + 2]!,
    bytes[offset + 3]!,
  );
}

/** True when `bytes` holds `ascii` at `offset`. */
export function hasAscii(bytes: Uint8Array, offset: number, ascii: string): boolean {
  if (offset < 0 || offset + ascii.length > bytes.length) return false;
  for (let i = 0; i < ascii.length; i++) {
    if (bytes[offset + i] !== ascii.charCodeAt(i)) return false;
  }
  return true;
}
