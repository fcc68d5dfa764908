import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. `algorithm: 2` is Argon2id (a const enum we cannot import).
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spends the same time as a real check so unknown usernames cannot be told apart by timing. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('anxin-timing-equaliser');
  await verifyPassword(await dummyHash, password);
}

const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A readable one-time password (no 0/O, 1/l) of 16 characters, about 93 bits. */
export function generateOneTimePassword(): string {
  const bytes = randomBytes(32);
  let out = '';
  for (const byte of bytes) {
    if (byte < ALPHABET.length * 4) out += ALPHABET[byte % ALPHABET.length];
    if (out.length === 16) break;
  }
  return out.length === 16 ? out : generateOneTimePassword();
}
