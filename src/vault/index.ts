export {
  createVault,
  type Vault,
  type PersonalData,
  type PersonalField,
  type SealedRecord,
  type SealedFields,
  type Executor,
} from './vault.js';
export { rotateMasterKey, type RotationProgress, type RotationResult } from './rotation.js';
export {
  keyringFromEnv,
  keyringFromFile,
  createKeyFile,
  keyFileExists,
  writeKeyFile,
  type Keyring,
  type MasterKey,
} from './keyring.js';
export { maskPhone, maskName, maskAddress, maskIdNumber } from './masking.js';
export { normalizePhone, isPlausiblePhone, normalizeIdNumber } from './normalize.js';
export { generateKey, masterKeyId } from './crypto.js';
export { openKeyring } from './open-keyring.js';
