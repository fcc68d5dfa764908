import { AppError } from '../kernel/index.js';
import type { Permission, Principal, Role } from './model.js';

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  platform_admin: [
    'merchants:manage',
    'merchants:read',
    'users:manage',
    'users:read',
    'api_keys:manage',
    'customers:read',
    'customers:reveal',
    'audit:read',
  ],
  merchant_admin: [
    'merchants:read',
    'users:manage',
    'users:read',
    'api_keys:manage',
    'customers:read',
    'customers:write',
    'customers:reveal',
    'audit:read',
  ],
  agent: ['merchants:read', 'customers:read', 'customers:write', 'customers:reveal'],
  dispatcher: ['merchants:read', 'users:read', 'customers:read'],
  reviewer: ['merchants:read', 'customers:read'],
  technician: ['merchants:read'],
};

export function permissionsOf(principal: Principal): readonly Permission[] {
  return principal.kind === 'user' ? ROLE_PERMISSIONS[principal.role] : principal.scopes;
}

export function can(principal: Principal, permission: Permission): boolean {
  return permissionsOf(principal).includes(permission);
}

/** Throws AUTH_FORBIDDEN unless the principal holds the permission. */
export function authorize(principal: Principal, permission: Permission): void {
  if (!can(principal, permission)) {
    throw new AppError('AUTH_FORBIDDEN', 'forbidden', 'You do not have permission to do this', {
      permission,
    });
  }
}

/**
 * The merchant a request acts for. Merchant staff and API keys are pinned to
 * their own merchant; naming another one answers "not found" so the
 * existence of other tenants never leaks. A platform admin must name one
 * when the operation writes merchant-owned data.
 */
export function merchantScope(principal: Principal, requested: string | undefined): string {
  if (principal.merchantId !== null) {
    if (requested !== undefined && requested !== principal.merchantId) {
      throw new AppError('MERCHANT_NOT_FOUND', 'not_found', 'Merchant not found');
    }
    return principal.merchantId;
  }
  if (requested === undefined) {
    throw new AppError(
      'MERCHANT_REQUIRED',
      'invalid',
      'Name the merchant (merchantId) for this operation',
    );
  }
  return requested;
}

/** For reads: a platform admin without a filter sees every merchant (null). */
export function merchantFilter(principal: Principal, requested: string | undefined): string | null {
  if (principal.merchantId === null) return requested ?? null;
  return merchantScope(principal, requested);
}

/** True when `merchantId` (a row's owner) is visible to the principal. */
export function canSeeMerchant(principal: Principal, merchantId: string | null): boolean {
  return principal.merchantId === null || principal.merchantId === merchantId;
}

/** Which roles an actor may grant: nobody but a platform admin creates admins of the platform. */
export function assertCanAssignRole(
  principal: Principal,
  role: Role,
  merchantId: string | null,
): void {
  if (principal.kind !== 'user')
    throw new AppError('AUTH_FORBIDDEN', 'forbidden', 'API keys cannot manage users');
  if (role === 'platform_admin') {
    if (principal.role !== 'platform_admin') {
      throw new AppError(
        'AUTH_FORBIDDEN',
        'forbidden',
        'Only a platform admin can create platform admins',
      );
    }
    if (merchantId !== null)
      throw new AppError('USER_ROLE_INVALID', 'invalid', 'A platform admin belongs to no merchant');
    return;
  }
  if (merchantId === null)
    throw new AppError(
      'MERCHANT_REQUIRED',
      'invalid',
      `Accounts with role ${role} belong to a merchant`,
    );
}

export interface LockoutState {
  failedSignIns: number;
  lockedUntil: string | null;
}

/** The state after a failed sign-in: lock for `lockoutMinutes` once `maxFailures` is reached. */
export function afterFailedSignIn(
  state: LockoutState,
  now: Date,
  maxFailures: number,
  lockoutMinutes: number,
): LockoutState {
  const failed = state.failedSignIns + 1;
  if (failed >= maxFailures) {
    return {
      failedSignIns: 0,
      lockedUntil: new Date(now.getTime() + lockoutMinutes * 60_000).toISOString(),
    };
  }
  return { failedSignIns: failed, lockedUntil: state.lockedUntil };
}

export function lockedForSeconds(lockedUntil: string | null, now: Date): number {
  if (!lockedUntil) return 0;
  return Math.max(0, Math.ceil((new Date(lockedUntil).getTime() - now.getTime()) / 1000));
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,63}$/;

export function normalizeUsername(value: string): string {
  return value.trim().toLowerCase();
}

export function assertValidUsername(value: string): void {
  if (!USERNAME.test(value)) {
    throw new AppError(
      'USER_USERNAME_INVALID',
      'invalid',
      'A username is 3 to 64 characters: a-z, 0-9, dot, dash, underscore',
    );
  }
}

/** Length over composition rules (NIST 800-63B): at least 12 characters, not the username. */
export function assertStrongPassword(password: string, username: string): void {
  if (Array.from(password).length < 12) {
    throw new AppError('AUTH_WEAK_PASSWORD', 'invalid', 'A password needs at least 12 characters');
  }
  if (password.length > 256)
    throw new AppError('AUTH_WEAK_PASSWORD', 'invalid', 'A password has at most 256 characters');
  if (password.toLowerCase().includes(username.toLowerCase())) {
    throw new AppError('AUTH_WEAK_PASSWORD', 'invalid', 'A password must not contain the username');
  }
  // Repetitions and keyboard runs ("aaaaaaaaaaaa", "123456123456") pass a length rule but not an attacker.
  if (
    new Set(Array.from(password.toLowerCase())).size < 6 ||
    COMMON_RUNS.some((run) => password.toLowerCase().includes(run))
  ) {
    throw new AppError('AUTH_WEAK_PASSWORD', 'invalid', 'That password is too easy to guess');
  }
}

const COMMON_RUNS = [
  'password',
  '123456',
  '654321',
  'abc123',
  'qwertyui',
  'asdfghjk',
  'zxcvbnm',
  '11111111',
  'iloveyou',
  'woaini',
  'abcdefgh',
  'anxin123',
];
