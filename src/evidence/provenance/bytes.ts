/**
 * Bounds-checked reads over untrusted bytes. Every container walker goes
 * through these so that a lying length field yields `undefined`, never an
 * exception or a read past the buffer.
 */

/** Reads an unsigned 16-bit integer, or undefined when it would run past the end. */
export function u16(bytes: Uint8Array, offset: number, littleEndian = false): number | undefined {
  if (offset < 0 || offset + 2 > bytes.length) return undefined;
  const a = bytes[offset] ?? 0;
  const b = bytes[offset + 1] ?? 0;
  return littleEndian ? a | (b << 8) : (a << 8) | b;
}

/** Reads an unsigned 32-bit integer, or undefined when it would run past the end. */
export function u32(bytes: Uint8Array, offset: number, littleEndian = false): number | undefined {
  if (offset < 0 || offset + 4 > bytes.length) return undefined;
  const a = bytes[offset] ?? 0;
  const b = bytes[offset + 1] ?? 0;
  const c = bytes[offset + 2] ?? 0;
  const d = bytes[offset + 3] ?? 0;
  // `>>> 0` keeps the top bit from turning the value negative.
  return littleEndian
    ? (a | (b << 8) | (c << 16) | (d << 24)) >>> 0
    : ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/** Reads an unsigned 64-bit big-endian integer as a number (exact below 2^53), or undefined. */
export function u64(bytes: Uint8Array, offset: number): number | undefined {
  const hi = u32(bytes, offset);
  const lo = u32(bytes, offset + 4);
  if (hi === undefined || lo === undefined) return undefined;
  return hi * 2 ** 32 + lo;
}

/** Reads a big-endian unsigned integer of 0, 4 or 8 bytes (ISO-BMFF field sizes). */
export function uintN(bytes: Uint8Array, offset: number, size: number): number | undefined {
  if (size === 0) return 0;
  if (size === 4) return u32(bytes, offset);
  if (size === 8) return u64(bytes, offset);
  if (size === 2) return u16(bytes, offset);
  return undefined;
}

/** A view of `[start, end)` clipped to the buffer; never copies. */
export function slice(bytes: Uint8Array, start: number, end: number): Uint8Array {
  const from = Math.max(0, Math.min(bytes.length, start));
  const to = Math.max(from, Math.min(bytes.length, end));
  return bytes.subarray(from, to);
}

/** Decodes bytes as Latin-1 (one char per byte), for four-character codes and PNG keywords. */
export function latin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const part = slice(bytes, start, end);
  let out = '';
  for (let i = 0; i < part.length; i += 4096) {
    out += String.fromCharCode(...part.subarray(i, i + 4096));
  }
  return out;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: false });
const utf16leDecoder = new TextDecoder('utf-16le', { fatal: false });
const utf16beDecoder = new TextDecoder('utf-16be', { fatal: false });

/** Decodes UTF-8 leniently (bad sequences become U+FFFD). */
export function utf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

/** Decodes UTF-16 in the given byte order leniently. */
export function utf16(bytes: Uint8Array, littleEndian: boolean): string {
  const even = bytes.subarray(0, bytes.length - (bytes.length % 2));
  return (littleEndian ? utf16leDecoder : utf16beDecoder).decode(even);
}

/** True when `bytes` holds `ascii` at `offset`. */
export function startsWithAscii(bytes: Uint8Array, ascii: string, offset = 0): boolean {
  if (offset < 0 || offset + ascii.length > bytes.length) return false;
  for (let i = 0; i < ascii.length; i++) {
    if (bytes[offset + i] !== ascii.charCodeAt(i)) return false;
  }
  return true;
}

/** Index of the first zero byte at or after `from` (and before `to`), or -1. */
export function indexOfZero(bytes: Uint8Array, from = 0, to = bytes.length): number {
  const end = Math.min(to, bytes.length);
  for (let i = Math.max(0, from); i < end; i++) if (bytes[i] === 0) return i;
  return -1;
}

/** Removes trailing NULs and surrounding whitespace that EXIF writers pad strings with. */
export function cleanText(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0) end--;
  return text.slice(0, end).trim();
}

/** Hex of a short byte run, for UUIDs and diagnostics. */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
