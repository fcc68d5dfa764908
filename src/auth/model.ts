export const ROLES = [
  'platform_admin',
  'merchant_admin',
  'agent',
  'dispatcher',
  'reviewer',
  'technician',
] as const;
export type Role = (typeof ROLES)[number];

/** What an actor may do; roles and API-key scopes both grant permissions. */
export const PERMISSIONS = [
  'merchants:manage',
  'merchants:read',
  'users:manage',
  'users:read',
  'api_keys:manage',
  'customers:read',
  'customers:write',
  'customers:reveal',
  'audit:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Scopes an API key may carry: merchant integrations never administer accounts. */
export const API_KEY_SCOPES = [
  'customers:read',
  'customers:write',
] as const satisfies readonly Permission[];
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export type UserStatus = 'active' | 'disabled';

export interface User {
  id: string;
  merchantId: string | null;
  username: string;
  displayName: string;
  role: Role;
  status: UserStatus;
  mustChangePassword: boolean;
  lockedUntil: string | null;
  lastSignInAt: string | null;
  createdAt: string;
}

export type Principal =
  | {
      kind: 'user';
      userId: string;
      username: string;
      displayName: string;
      role: Role;
      merchantId: string | null;
      sessionId: string;
      mustChangePassword: boolean;
    }
  | {
      kind: 'api_key';
      apiKeyId: string;
      merchantId: string;
      scopes: readonly ApiKeyScope[];
    };

export interface Merchant {
  id: string;
  name: string;
  status: 'active' | 'suspended';
  createdAt: string;
}

export interface ApiKeySummary {
  id: string;
  merchantId: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
