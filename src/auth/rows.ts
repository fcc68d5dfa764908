import type { Selectable } from 'kysely';
import type { ApiKeysTable, MerchantsTable, UsersTable } from '../store/index.js';
import type { ApiKeyScope, ApiKeySummary, Merchant, Role, User, UserStatus } from './model.js';

export function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as Role,
    status: row.status as UserStatus,
    mustChangePassword: row.must_change_password === 1,
    lockedUntil: row.locked_until,
    lastSignInAt: row.last_sign_in_at,
    createdAt: row.created_at,
  };
}

export function toMerchant(row: Selectable<MerchantsTable>): Merchant {
  return {
    id: row.id,
    name: row.name,
    status: row.status as Merchant['status'],
    createdAt: row.created_at,
  };
}

export function toApiKey(row: Selectable<ApiKeysTable>): ApiKeySummary {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    name: row.name,
    prefix: row.prefix,
    scopes: JSON.parse(row.scopes) as ApiKeyScope[],
    createdBy: row.created_by,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
