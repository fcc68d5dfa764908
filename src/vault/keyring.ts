import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../kernel/index.js';
import { generateKey, masterKeyId } from './crypto.js';

export interface MasterKey {
  readonly id: string;
  readonly key: Buffer;
}

/**
 * The master keys this process can use, newest first. Keys come from
 * ANXIN_MASTER_KEY (comma-separated base64, newest first) or from a key file
 * written with mode 0600. The file is re-read on demand so a running service
 * picks up a key that `anxin keys rotate` added.
 */
export interface Keyring {
  readonly source: 'env' | 'file';
  readonly filePath: string | undefined;
  keys(): readonly MasterKey[];
  find(id: string): MasterKey | undefined;
  /** Re-reads the key file; a no-op for keys from the environment. */
  reload(): void;
}

interface KeyFile {
  format: 'anxin-keyring-v1';
  keys: string[];
}

function parseKeys(encoded: readonly string[]): MasterKey[] {
  return encoded.map((entry) => {
    const key = Buffer.from(
      entry.trim(),
      entry.includes('-') || entry.includes('_') ? 'base64url' : 'base64',
    );
    if (key.length !== 32) {
      throw new AppError(
        'VAULT_MASTER_KEY_INVALID',
        'invalid',
        'A master key must be 32 bytes, base64-encoded',
      );
    }
    return { id: masterKeyId(key), key };
  });
}

export function keyringFromEnv(value: string): Keyring {
  const keys = parseKeys(value.split(','));
  return {
    source: 'env',
    filePath: undefined,
    keys: () => keys,
    find: (id) => keys.find((k) => k.id === id),
    reload: () => undefined,
  };
}

function readKeyFile(filePath: string): MasterKey[] {
  let parsed: KeyFile;
  try {
    parsed = JSON.parse(fs.readFileSync(filePath, 'utf8')) as KeyFile;
  } catch (error) {
    throw new AppError(
      'VAULT_MASTER_KEY_INVALID',
      'invalid',
      `The key file ${filePath} cannot be read: ${(error as Error).message}`,
    );
  }
  if (
    parsed.format !== 'anxin-keyring-v1' ||
    !Array.isArray(parsed.keys) ||
    parsed.keys.length === 0
  ) {
    throw new AppError(
      'VAULT_MASTER_KEY_INVALID',
      'invalid',
      `The key file ${filePath} is not an anxin keyring`,
    );
  }
  return parseKeys(parsed.keys);
}

/** Writes the keyring atomically with mode 0600 so a crash never leaves half a key file. */
export function writeKeyFile(filePath: string, keys: readonly MasterKey[]): void {
  fs.mkdirSync(path.dirname(filePath), { recursive: true });
  const body: KeyFile = {
    format: 'anxin-keyring-v1',
    keys: keys.map((k) => k.key.toString('base64')),
  };
  const temp = `${filePath}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temp, filePath);
  fs.chmodSync(filePath, 0o600);
}

export function keyFileExists(filePath: string): boolean {
  return fs.existsSync(filePath);
}

export function keyringFromFile(filePath: string): Keyring {
  let keys = readKeyFile(filePath);
  return {
    source: 'file',
    filePath,
    keys: () => keys,
    find: (id) => keys.find((k) => k.id === id),
    reload: () => {
      keys = readKeyFile(filePath);
    },
  };
}

/** Creates a key file holding one fresh key; refuses to overwrite an existing file. */
export function createKeyFile(filePath: string): Keyring {
  if (fs.existsSync(filePath)) {
    throw new AppError(
      'VAULT_MASTER_KEY_EXISTS',
      'conflict',
      `The key file ${filePath} already exists`,
    );
  }
  const key = generateKey();
  writeKeyFile(filePath, [{ id: masterKeyId(key), key }]);
  return keyringFromFile(filePath);
}
