import type { Generated } from 'kysely';

/**
 * The one Database type. Instants are ISO-8601 UTC strings on both dialects
 * (timestamptz on PostgreSQL, parsed back to ISO strings by the pool); flags
 * are 0/1 integers so both dialects read the same values.
 */
export interface Database {
  merchants: MerchantsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  audit_events: AuditEventsTable;
  vault_master_keys: VaultMasterKeysTable;
  vault_data_keys: VaultDataKeysTable;
  vault_index_keys: VaultIndexKeysTable;
  customers: CustomersTable;
  /** The SQLite deployment's job queue (PostgreSQL uses pg-boss's own schema). */
  jobs: JobsTable;
}

export interface MerchantsTable {
  id: string;
  name: string;
  status: string;
  created_at: string;
}

export interface UsersTable {
  id: string;
  merchant_id: string | null;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  must_change_password: number;
  status: string;
  failed_sign_ins: number;
  locked_until: string | null;
  last_sign_in_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface ApiKeysTable {
  id: string;
  merchant_id: string;
  name: string;
  prefix: string;
  secret_hash: string;
  scopes: string;
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditEventsTable {
  seq: Generated<number>;
  id: string;
  merchant_id: string | null;
  actor_type: string;
  actor_id: string | null;
  action: string;
  subject_type: string;
  subject_id: string | null;
  reason: string | null;
  details: string;
  request_id: string | null;
  created_at: string;
}

export interface VaultMasterKeysTable {
  id: string;
  check_value: string;
  status: string;
  created_at: string;
  retired_at: string | null;
}

export interface VaultDataKeysTable {
  id: string;
  merchant_id: string | null;
  master_key_id: string;
  wrapped_key: string;
  created_at: string;
  rewrapped_at: string | null;
}

export interface VaultIndexKeysTable {
  purpose: string;
  master_key_id: string;
  wrapped_key: string;
  created_at: string;
}

export interface CustomersTable {
  id: string;
  merchant_id: string;
  data_key_id: string;
  name_enc: string;
  phone_enc: string;
  address_enc: string | null;
  id_number_enc: string | null;
  phone_index: string;
  created_at: string;
  updated_at: string;
}

export interface JobsTable {
  id: string;
  name: string;
  payload: string;
  state: string;
  attempts: number;
  max_attempts: number;
  run_at: string;
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}
