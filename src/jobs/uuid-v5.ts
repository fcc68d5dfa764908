import { createHash } from 'node:crypto';

// A fixed namespace for anxin's job ids.
const NAMESPACE = Buffer.from('6f1c2a9e4b7d4e0f9a3b8c5d2e1f0a7b', 'hex');

/** RFC 4122 version-5 UUID of `name`: the same job key always gives the same id. */
export function uuidV5(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
