import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/dialects.js';
import {
  as,
  seedMerchant,
  signInAdmin,
  startHarness,
  type Harness,
  type Session,
} from '../support/harness.js';

type MerchantRole = 'merchant_admin' | 'agent' | 'dispatcher' | 'reviewer' | 'technician';

interface Ctx {
  merchantId: string;
  customerId: string;
  agentId: string;
}

/** What each merchant role may do inside its own merchant. */
const MATRIX: {
  name: string;
  request: (c: Ctx, n: number) => InjectOptions;
  allowed: MerchantRole[];
}[] = [
  {
    name: 'read its merchant',
    request: (c) => ({ method: 'GET', url: `/api/merchants/${c.merchantId}` }),
    allowed: ['merchant_admin', 'agent', 'dispatcher', 'reviewer', 'technician'],
  },
  {
    name: 'create a merchant',
    request: () => ({ method: 'POST', url: '/api/merchants', payload: { name: 'New' } }),
    allowed: [],
  },
  {
    name: 'list customers',
    request: () => ({ method: 'GET', url: '/api/customers' }),
    allowed: ['merchant_admin', 'agent', 'dispatcher', 'reviewer'],
  },
  {
    name: 'record a customer',
    request: (_c, n) => ({
      method: 'POST',
      url: '/api/customers',
      payload: { name: '新客户', phone: `1580000${String(n).padStart(4, '0')}` },
    }),
    allowed: ['merchant_admin', 'agent'],
  },
  {
    name: 'reveal a customer’s phone',
    request: (c) => ({
      method: 'POST',
      url: `/api/customers/${c.customerId}/reveal`,
      payload: { fields: ['phone'], reason: 'call back about the repair' },
    }),
    allowed: ['merchant_admin', 'agent'],
  },
  {
    name: 'list users',
    request: () => ({ method: 'GET', url: '/api/users' }),
    allowed: ['merchant_admin', 'dispatcher'],
  },
  {
    name: 'create a user',
    request: (_c, n) => ({
      method: 'POST',
      url: '/api/users',
      payload: { username: `tech-${n}`, displayName: 'Tech', role: 'technician' },
    }),
    allowed: ['merchant_admin'],
  },
  {
    name: 'rename a colleague',
    request: (c) => ({
      method: 'PATCH',
      url: `/api/users/${c.agentId}`,
      payload: { displayName: 'Agent (renamed)' },
    }),
    allowed: ['merchant_admin'],
  },
  {
    name: 'create an API key',
    request: () => ({
      method: 'POST',
      url: '/api/api-keys',
      payload: { name: 'k', scopes: ['customers:read'] },
    }),
    allowed: ['merchant_admin'],
  },
  {
    name: 'read the audit trail',
    request: () => ({ method: 'GET', url: '/api/audit' }),
    allowed: ['merchant_admin'],
  },
];

describe.each(dialectsUnderTest())('role checks on %s', (dialect) => {
  let h: Harness;
  let admin: Session;
  let sessions: Record<MerchantRole, Session>;
  let ctx: Ctx;

  beforeAll(async () => {
    h = await startHarness(dialect, { env: { ANXIN_RATE_LIMIT_PER_MINUTE: '100000' } });
    admin = await signInAdmin(h);
    const seeded = await seedMerchant(h, admin, 'Gamma');
    sessions = seeded.sessions;
    const customer = await h.app.inject({
      method: 'POST',
      url: '/api/customers',
      headers: as(sessions.agent),
      payload: { name: '客户', phone: '13812345678' },
    });
    ctx = {
      merchantId: seeded.merchantId,
      customerId: customer.json<{ id: string }>().id,
      agentId: sessions.agent.userId,
    };
  });
  afterAll(async () => h.close());

  let n = 0;
  for (const op of MATRIX) {
    for (const role of [
      'merchant_admin',
      'agent',
      'dispatcher',
      'reviewer',
      'technician',
    ] as const) {
      const isAllowed = op.allowed.includes(role);
      it(`${isAllowed ? 'lets' : 'forbids'} a ${role} ${op.name}`, async () => {
        n += 1;
        const request = op.request(ctx, n);
        const response = await h.app.inject({ ...request, headers: as(sessions[role]) });
        if (isAllowed) {
          expect(response.statusCode, response.body).toBeLessThan(300);
        } else {
          expect(response.statusCode, response.body).toBe(403);
          expect(response.json()).toMatchObject({ error: { code: 'AUTH_FORBIDDEN' } });
        }
      });
    }
  }

  it('records who revealed a phone number and why', async () => {
    const audit = await h.app.inject({
      method: 'GET',
      url: `/api/audit?subjectId=${ctx.customerId}`,
      headers: as(sessions.merchant_admin),
    });
    const reveals = audit
      .json<{ items: { action: string; reason: string; actorId: string }[] }>()
      .items.filter((e) => e.action === 'customer.revealed');
    expect(reveals.map((r) => r.actorId).sort()).toEqual(
      [sessions.merchant_admin.userId, sessions.agent.userId].sort(),
    );
    expect(reveals.every((r) => r.reason === 'call back about the repair')).toBe(true);
  });

  it('does not let a merchant admin create or change a platform admin', async () => {
    const create = await h.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: as(sessions.merchant_admin),
      payload: { username: 'sneaky', displayName: 'x', role: 'platform_admin' },
    });
    expect(create.statusCode).toBe(403);
    const promote = await h.app.inject({
      method: 'PATCH',
      url: `/api/users/${ctx.agentId}`,
      headers: as(sessions.merchant_admin),
      payload: { role: 'platform_admin' },
    });
    expect(promote.statusCode).toBe(403);
    const touchPlatform = await h.app.inject({
      method: 'PATCH',
      url: `/api/users/${admin.userId}`,
      headers: as(sessions.merchant_admin),
      payload: { displayName: 'x' },
    });
    expect([403, 404]).toContain(touchPlatform.statusCode);
  });

  it('does not let anyone disable themselves', async () => {
    const response = await h.app.inject({
      method: 'PATCH',
      url: `/api/users/${sessions.merchant_admin.userId}`,
      headers: as(sessions.merchant_admin),
      payload: { status: 'disabled' },
    });
    expect(response.json()).toMatchObject({ error: { code: 'USER_SELF_CHANGE_FORBIDDEN' } });
  });
});
