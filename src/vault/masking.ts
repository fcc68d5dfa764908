import { normalizeIdNumber, normalizePhone } from './normalize.js';

/** Masks for display: enough to recognise a record, never enough to contact the person. */

export function maskPhone(value: string): string {
  const digits = normalizePhone(value);
  if (digits.length >= 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.length > 4) return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
  return '*'.repeat(digits.length);
}

export function maskName(value: string): string {
  const chars = Array.from(value.trim());
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  // Latin names: keep the initial of the first word only.
  if (/^[\x20-\x7e]+$/.test(value))
    return `${chars[0]}${'*'.repeat(Math.min(chars.length - 1, 6))}`;
  return `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}

export function maskAddress(value: string): string {
  const chars = Array.from(value.trim());
  const keep = Math.min(6, Math.floor(chars.length / 2));
  return `${chars.slice(0, keep).join('')}${chars.length > keep ? '****' : ''}`;
}

export function maskIdNumber(value: string): string {
  const id = normalizeIdNumber(value);
  if (id.length <= 4) return '*'.repeat(id.length);
  return `${id.slice(0, 1)}${'*'.repeat(id.length - 2)}${id.slice(-1)}`;
}
