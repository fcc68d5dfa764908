export * from './model.js';
export {
  authorize,
  can,
  merchantScope,
  merchantFilter,
  canSeeMerchant,
  assertStrongPassword,
} from './rules.js';
export { actorOf } from './actor.js';
export { createMerchantService, type MerchantService } from './merchants.js';
export {
  createUserService,
  type UserService,
  type CreateUserInput,
  type CreatedUser,
} from './users.js';
export { createSessionService, type SessionService, type SignedIn } from './sessions.js';
export { createApiKeyService, type ApiKeyService, type CreatedApiKey } from './api-keys.js';
export type { AuthDeps, AuthSettings, RequestMeta } from './deps.js';
