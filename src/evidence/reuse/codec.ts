/**
 * The reuse index's file format, version 1 (all integers little-endian):
 *
 *   0   4 bytes  magic "AXRI"
 *   4   u16      format version (1)
 *   6   u16      bytes per hash (32)
 *   8   u32      entry count n
 *   12  u32      byte length L of the id section
 *   16  n × 32   hashes, in entry order
 *   …   L bytes  ids: per entry, its UTF-8 length as LEB128, then the bytes
 *   end u32      CRC-32 of every byte before it
 *
 * Only hashes and ids are stored: the tables are rebuilt on load (about a
 * second per ten million entries), which keeps files at ~33 bytes plus the id
 * per entry and lets the table layout change without a format change.
 */
import { Buffer } from 'node:buffer';
import { crc32 } from 'node:zlib';
import { EvidenceError } from '../errors.js';

const MAGIC = 0x49525841; // "AXRI" read as a little-endian u32
const VERSION = 1;
const HASH_BYTES = 32;
const HEADER_BYTES = 16;
const TRAILER_BYTES = 4;

/** Writes `count` entries given by position into one buffer in format version 1. */
export function encodeIndex(
  count: number,
  idAt: (n: number) => string,
  hashAt: (n: number) => Uint8Array,
): Uint8Array {
  let idBytes = 0;
  for (let n = 0; n < count; n++) {
    const length = Buffer.byteLength(idAt(n), 'utf8');
    idBytes += varintLength(length) + length;
  }
  const total = HEADER_BYTES + count * HASH_BYTES + idBytes + TRAILER_BYTES;
  if (idBytes > 0xffffffff) throw new RangeError('reuse index ids exceed 4 GiB; split the index');
  const out = Buffer.alloc(total);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt16LE(VERSION, 4);
  out.writeUInt16LE(HASH_BYTES, 6);
  out.writeUInt32LE(count, 8);
  out.writeUInt32LE(idBytes, 12);
  for (let n = 0; n < count; n++) out.set(hashAt(n), HEADER_BYTES + n * HASH_BYTES);
  let at = HEADER_BYTES + count * HASH_BYTES;
  for (let n = 0; n < count; n++) {
    const id = idAt(n);
    at = writeVarint(out, at, Buffer.byteLength(id, 'utf8'));
    at += out.write(id, at, 'utf8');
  }
  out.writeUInt32LE(crc32(out.subarray(0, at)), at);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** Reads format version 1, calling `onEntry` per entry; throws EVIDENCE_CORRUPT on any damage. */
export function decodeIndex(
  bytes: Uint8Array,
  onEntry: (id: string, hash: Uint8Array) => void,
): void {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.length < HEADER_BYTES + TRAILER_BYTES) corrupt(`only ${data.length} bytes`);
  if (data.readUInt32LE(0) !== MAGIC) corrupt('not a reuse index (bad magic)');
  const version = data.readUInt16LE(4);
  if (version !== VERSION)
    corrupt(`format version ${version} is not supported (expected ${VERSION})`);
  if (data.readUInt16LE(6) !== HASH_BYTES)
    corrupt(`hash size ${data.readUInt16LE(6)} is not ${HASH_BYTES}`);
  const count = data.readUInt32LE(8);
  const idBytes = data.readUInt32LE(12);
  const expected = HEADER_BYTES + count * HASH_BYTES + idBytes + TRAILER_BYTES;
  if (expected !== data.length)
    corrupt(`length ${data.length} does not match its header (${expected})`);
  const body = data.length - TRAILER_BYTES;
  if (crc32(data.subarray(0, body)) !== data.readUInt32LE(body)) corrupt('checksum mismatch');
  let at = HEADER_BYTES + count * HASH_BYTES;
  for (let n = 0; n < count; n++) {
    const [length, next] = readVarint(data, at, body);
    if (next + length > body) corrupt(`id ${n} runs past the id section`);
    if (length === 0) corrupt(`id ${n} is empty`);
    const id = data.toString('utf8', next, next + length);
    // The fast decoder replaces bad bytes with U+FFFD; only then pay for the strict one.
    if (id.includes('\uFFFD') && !isStrictUtf8(data.subarray(next, next + length)))
      corrupt(`id ${n} is not valid UTF-8`);
    const start = HEADER_BYTES + n * HASH_BYTES;
    onEntry(id, new Uint8Array(data.buffer, data.byteOffset + start, HASH_BYTES));
    at = next + length;
  }
  if (at !== body) corrupt('id section has trailing bytes');
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isStrictUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function corrupt(reason: string): never {
  throw new EvidenceError('EVIDENCE_CORRUPT', 'invalid', `reuse index is damaged: ${reason}`);
}

function varintLength(value: number): number {
  let length = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    length++;
  }
  return length;
}

function writeVarint(out: Buffer, at: number, value: number): number {
  while (value >= 0x80) {
    out[at++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 128);
  }
  out[at++] = value;
  return at;
}

function readVarint(data: Buffer, at: number, end: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 5; i++) {
    if (at >= end) corrupt('id length runs past the id section');
    const byte = data[at++]!;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return [value, at];
    scale *= 128;
  }
  return corrupt('id length is too long');
}
