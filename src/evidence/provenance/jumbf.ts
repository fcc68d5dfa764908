/**
 * JUMBF (ISO/IEC 19566-5) boxes as C2PA embeds them. In JPEG a manifest
 * store larger than one segment is split over APP11 segments that share a
 * box instance number and carry a packet sequence number; each continuation
 * repeats the box header, which must be dropped when stitching.
 */
import { latin1, startsWithAscii, u16, u32, u64 } from './bytes.js';

/** The C2PA manifest-store description UUID (`c2pa` + ISO suffix). */
const C2PA_UUID = Uint8Array.from([
  0x63, 0x32, 0x70, 0x61, 0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71,
]);

/** One JPEG APP11 JUMBF packet (the segment payload after its length field). */
export interface JumbfPacket {
  instance: number;
  sequence: number;
  payload: Uint8Array;
}

/** Parses an APP11 segment payload, or undefined when it is not a JUMBF packet. */
export function readApp11Packet(segment: Uint8Array): JumbfPacket | undefined {
  if (!startsWithAscii(segment, 'JP')) return undefined;
  const instance = u16(segment, 2);
  const sequence = u32(segment, 4);
  if (instance === undefined || sequence === undefined || segment.length < 16) return undefined;
  return { instance, sequence, payload: segment.subarray(8) };
}

/**
 * Stitches APP11 packets into whole JUMBF superboxes, one per box instance,
 * and returns those that are C2PA manifest stores. `maxBytes` caps the result.
 */
export function assembleC2paFromApp11(
  packets: readonly JumbfPacket[],
  maxBytes: number,
  warnings: string[],
): Uint8Array | undefined {
  const byInstance = new Map<number, JumbfPacket[]>();
  for (const p of packets) {
    const list = byInstance.get(p.instance) ?? [];
    list.push(p);
    byInstance.set(p.instance, list);
  }
  for (const list of byInstance.values()) {
    list.sort((a, b) => a.sequence - b.sequence);
    const first = list[0];
    if (!first || !isC2paStore(first.payload)) continue;
    const parts: Uint8Array[] = [first.payload];
    let total = first.payload.length;
    let previous = first.sequence;
    for (const p of list.slice(1)) {
      if (p.sequence === previous) continue; // a duplicated packet adds nothing
      if (p.sequence !== previous + 1) warnings.push(`c2pa: JUMBF packet ${previous + 1} missing`);
      previous = p.sequence;
      const body = p.payload.subarray(boxHeaderSize(p.payload));
      total += body.length;
      if (total > maxBytes) {
        warnings.push('c2pa: manifest store exceeds the metadata cap');
        return undefined;
      }
      parts.push(body);
    }
    return concat(parts, total);
  }
  return undefined;
}

/** True when `box` is a JUMBF superbox whose description box carries the C2PA UUID. */
export function isC2paStore(box: Uint8Array): boolean {
  if (!startsWithAscii(box, 'jumb', 4)) return false;
  const inner = boxHeaderSize(box);
  if (!startsWithAscii(box, 'jumd', inner + 4)) return false;
  const uuidAt = inner + boxHeaderSize(box.subarray(inner));
  if (uuidAt + 16 > box.length) return false;
  return C2PA_UUID.every((b, i) => box[uuidAt + i] === b);
}

/** The label of a JUMBF superbox's description box (e.g. `c2pa`), when present. */
export function jumbfLabel(box: Uint8Array): string | undefined {
  const inner = boxHeaderSize(box);
  const content = inner + boxHeaderSize(box.subarray(inner));
  const toggles = box[content + 16];
  if (toggles === undefined || (toggles & 0x02) === 0) return undefined;
  const start = content + 17;
  let end = start;
  while (end < box.length && end < start + 256 && box[end] !== 0) end++;
  return latin1(box, start, end);
}

/** Header size of an ISO-style box at offset 0: 8, or 16 with a 64-bit XLBox. */
function boxHeaderSize(box: Uint8Array): number {
  return u32(box, 0) === 1 && u64(box, 8) !== undefined ? 16 : 8;
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
