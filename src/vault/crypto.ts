import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { AppError } from '../kernel/index.js';

/**
 * Envelope encryption primitives. Values are AES-256-GCM with a random 96-bit
 * nonce; the associated data binds a ciphertext to its record and field so a
 * value cannot be moved to another row or column unnoticed.
 */

const FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function generateKey(): Buffer {
  return randomBytes(32);
}

export function encryptValue(key: Buffer, plaintext: string | Buffer, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return `${FORMAT}:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64')}`;
}

export function decryptValue(key: Buffer, sealed: string, aad: string): Buffer {
  if (!sealed.startsWith(`${FORMAT}:`)) {
    throw new AppError('VAULT_CIPHERTEXT_INVALID', 'internal', 'Unknown ciphertext format');
  }
  const raw = Buffer.from(sealed.slice(FORMAT.length + 1), 'base64');
  if (raw.length < IV_BYTES + TAG_BYTES) {
    throw new AppError('VAULT_CIPHERTEXT_INVALID', 'internal', 'Ciphertext is truncated');
  }
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new AppError(
      'VAULT_DECRYPT_FAILED',
      'internal',
      'A stored value failed its integrity check',
    );
  }
}

/** Stable identifier of a master key: a short fingerprint, never the key itself. */
export function masterKeyId(key: Buffer): string {
  return `mk-${createHash('sha256').update('anxin-master-key-id').update(key).digest('hex').slice(0, 16)}`;
}

const CHECK_PLAINTEXT = 'anxin master key check';

/** A value only the right master key can open; used to refuse a wrong key at start. */
export function makeCheckValue(key: Buffer, id: string): string {
  return encryptValue(key, CHECK_PLAINTEXT, `master-check:${id}`);
}

export function verifyCheckValue(key: Buffer, id: string, checkValue: string): boolean {
  try {
    return decryptValue(key, checkValue, `master-check:${id}`).toString('utf8') === CHECK_PLAINTEXT;
  } catch {
    return false;
  }
}

export function hmacHex(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('hex');
}
