import type { AuditTrail } from '../audit/index.js';
import type { ApiKeyService, MerchantService, SessionService, UserService } from '../auth/index.js';
import type { CustomerService } from '../customers/index.js';

/** Every use-case service the edges (HTTP, CLI) may call. */
export interface Services {
  audit: AuditTrail;
  merchants: MerchantService;
  users: UserService;
  sessions: SessionService;
  apiKeys: ApiKeyService;
  customers: CustomerService;
}
