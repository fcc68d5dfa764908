import { describe, expect, it } from 'vitest';
import type { Principal } from './model.js';
import {
  afterFailedSignIn,
  assertCanAssignRole,
  assertStrongPassword,
  can,
  lockedForSeconds,
  merchantFilter,
  merchantScope,
} from './rules.js';

const user = (
  role: Extract<Principal, { kind: 'user' }>['role'],
  merchantId: string | null,
): Principal => ({
  kind: 'user',
  userId: 'u',
  username: 'u',
  displayName: 'U',
  role,
  merchantId,
  sessionId: 's',
  mustChangePassword: false,
});

describe('merchant scoping', () => {
  it('pins merchant staff to their own merchant and answers not-found for another', () => {
    expect(merchantScope(user('agent', 'm1'), undefined)).toBe('m1');
    expect(merchantScope(user('agent', 'm1'), 'm1')).toBe('m1');
    expect(() => merchantScope(user('agent', 'm1'), 'm2')).toThrow(
      expect.objectContaining({ code: 'MERCHANT_NOT_FOUND' }),
    );
  });

  it('makes a platform admin name the merchant for writes and lets them read across merchants', () => {
    expect(() => merchantScope(user('platform_admin', null), undefined)).toThrow(
      expect.objectContaining({ code: 'MERCHANT_REQUIRED' }),
    );
    expect(merchantFilter(user('platform_admin', null), undefined)).toBeNull();
    expect(merchantFilter(user('platform_admin', null), 'm9')).toBe('m9');
  });
});

describe('roles', () => {
  it('lets only a platform admin create platform admins', () => {
    expect(() => assertCanAssignRole(user('merchant_admin', 'm1'), 'platform_admin', null)).toThrow(
      expect.objectContaining({ code: 'AUTH_FORBIDDEN' }),
    );
    expect(() =>
      assertCanAssignRole(user('platform_admin', null), 'platform_admin', null),
    ).not.toThrow();
    expect(() => assertCanAssignRole(user('platform_admin', null), 'agent', null)).toThrow(
      expect.objectContaining({ code: 'MERCHANT_REQUIRED' }),
    );
  });

  it('gives reveal to agents and admins but not to reviewers, dispatchers or technicians', () => {
    expect(can(user('agent', 'm'), 'customers:reveal')).toBe(true);
    expect(can(user('merchant_admin', 'm'), 'customers:reveal')).toBe(true);
    for (const role of ['reviewer', 'dispatcher', 'technician'] as const)
      expect(can(user(role, 'm'), 'customers:reveal')).toBe(false);
  });
});

describe('sign-in lockout', () => {
  it('locks on the fifth consecutive failure for the lockout period', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    let state = { failedSignIns: 0, lockedUntil: null as string | null };
    for (let i = 0; i < 4; i += 1) state = afterFailedSignIn(state, now, 5, 15);
    expect(state).toEqual({ failedSignIns: 4, lockedUntil: null });
    state = afterFailedSignIn(state, now, 5, 15);
    expect(state.lockedUntil).toBe('2026-12-01T00:15:00.000Z');
    expect(lockedForSeconds(state.lockedUntil, now)).toBe(900);
    expect(lockedForSeconds(state.lockedUntil, new Date('2026-12-01T00:15:01Z'))).toBe(0);
  });
});

describe('password strength', () => {
  it('refuses short, repetitive, common and username-bearing passwords', () => {
    for (const weak of [
      'short',
      'aaaaaaaaaaaa',
      '123456123456',
      'MyPassword2026',
      'alice-is-great-2026',
    ]) {
      expect(() => assertStrongPassword(weak, 'alice'), weak).toThrow(
        expect.objectContaining({ code: 'AUTH_WEAK_PASSWORD' }),
      );
    }
    expect(() => assertStrongPassword('锁匠师傅-周三上门-8点', 'alice')).not.toThrow();
    expect(() => assertStrongPassword('correct horse battery staple', 'alice')).not.toThrow();
  });
});
