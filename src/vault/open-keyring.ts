import { AppError } from '../kernel/index.js';
import {
  createKeyFile,
  keyFileExists,
  keyringFromEnv,
  keyringFromFile,
  type Keyring,
} from './keyring.js';

/**
 * Chooses the keyring for this process: the environment wins; otherwise the
 * key file, created on first start only when the database has no keys yet
 * (a missing file for a database that has keys must stop the start, not
 * silently mint a key that cannot open anything).
 */
export function openKeyring(input: {
  masterKey: string | undefined;
  masterKeyFile: string;
  databaseHasKeys: boolean;
}): { keyring: Keyring; created: boolean } {
  if (input.masterKey) return { keyring: keyringFromEnv(input.masterKey), created: false };
  if (keyFileExists(input.masterKeyFile))
    return { keyring: keyringFromFile(input.masterKeyFile), created: false };
  if (input.databaseHasKeys) {
    throw new AppError(
      'VAULT_MASTER_KEY_MISSING',
      'unavailable',
      `This database is encrypted but the key file ${input.masterKeyFile} is missing and ANXIN_MASTER_KEY is not set; refusing to start`,
    );
  }
  return { keyring: createKeyFile(input.masterKeyFile), created: true };
}
