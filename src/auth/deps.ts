import type { Kysely } from 'kysely';
import type { AuditTrail } from '../audit/index.js';
import type { Clock, IdGenerator } from '../kernel/index.js';
import type { Database } from '../store/index.js';

/** The ports the account services use. */
export interface AuthDeps {
  db: Kysely<Database>;
  audit: AuditTrail;
  clock: Clock;
  ids: IdGenerator;
}

export interface AuthSettings {
  sessionTtlHours: number;
  signInMaxFailures: number;
  signInLockoutMinutes: number;
}

/** Who asked, for the audit trail. */
export interface RequestMeta {
  requestId?: string | null;
}
