import { randomBytes, randomUUID } from 'node:crypto';

/** Id generators are passed in, like clocks, so tests can make ids deterministic. */
export type IdGenerator = () => string;

export const uuid: IdGenerator = () => randomUUID();

/** URL-safe random token with `bytes` of entropy, for session and API-key secrets. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
