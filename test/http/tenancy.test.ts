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

/**
 * Merchant B's staff and API key try every route against merchant A's data.
 * Nothing of A may come back (ids, masked or plaintext personal data), no
 * targeted attempt may succeed, and A's data must be unchanged afterwards.
 * A route added without a case here fails the coverage check.
 */

const A_PHONE = '13712340001';
const A_NAME = '甲方客户';

interface Fixture {
  aMerchant: string;
  aUser: string;
  aKey: string;
  aKeySecret: string;
  aCustomer: string;
}

type Attempt = (f: Fixture) => InjectOptions & { method: string; url: string };

/** One or more attempts per route; `targeted` attempts name A's data and must fail. */
const CASES: Record<string, { targeted: Attempt[]; untargeted: Attempt[] }> = {
  'GET /api/auth/me': {
    targeted: [],
    untargeted: [() => ({ method: 'GET', url: '/api/auth/me' })],
  },
  'POST /api/auth/password': {
    targeted: [],
    untargeted: [
      () => ({
        method: 'POST',
        url: '/api/auth/password',
        payload: { currentPassword: 'not-mine-at-all', newPassword: 'Another-Pass-4567' },
      }),
    ],
  },
  // Sign-out only ends the caller's own session; covered separately below.
  'POST /api/auth/sign-out': { targeted: [], untargeted: [] },
  'POST /api/merchants': {
    targeted: [],
    untargeted: [() => ({ method: 'POST', url: '/api/merchants', payload: { name: 'Rogue' } })],
  },
  'GET /api/merchants': {
    targeted: [],
    untargeted: [() => ({ method: 'GET', url: '/api/merchants' })],
  },
  'GET /api/merchants/:id': {
    targeted: [(f) => ({ method: 'GET', url: `/api/merchants/${f.aMerchant}` })],
    untargeted: [],
  },
  'POST /api/users': {
    targeted: [
      (f) => ({
        method: 'POST',
        url: '/api/users',
        payload: { username: 'intruder', displayName: 'x', role: 'agent', merchantId: f.aMerchant },
      }),
    ],
    untargeted: [],
  },
  'GET /api/users': {
    targeted: [(f) => ({ method: 'GET', url: `/api/users?merchantId=${f.aMerchant}` })],
    untargeted: [() => ({ method: 'GET', url: '/api/users' })],
  },
  'GET /api/users/:id': {
    targeted: [(f) => ({ method: 'GET', url: `/api/users/${f.aUser}` })],
    untargeted: [],
  },
  'PATCH /api/users/:id': {
    targeted: [
      (f) => ({
        method: 'PATCH',
        url: `/api/users/${f.aUser}`,
        payload: { status: 'disabled', displayName: 'pwned' },
      }),
    ],
    untargeted: [],
  },
  'POST /api/users/:id/reset-password': {
    targeted: [(f) => ({ method: 'POST', url: `/api/users/${f.aUser}/reset-password` })],
    untargeted: [],
  },
  'POST /api/api-keys': {
    targeted: [
      (f) => ({
        method: 'POST',
        url: '/api/api-keys',
        payload: { name: 'x', scopes: ['customers:read'], merchantId: f.aMerchant },
      }),
    ],
    untargeted: [],
  },
  'GET /api/api-keys': {
    targeted: [(f) => ({ method: 'GET', url: `/api/api-keys?merchantId=${f.aMerchant}` })],
    untargeted: [() => ({ method: 'GET', url: '/api/api-keys' })],
  },
  'DELETE /api/api-keys/:id': {
    targeted: [(f) => ({ method: 'DELETE', url: `/api/api-keys/${f.aKey}` })],
    untargeted: [],
  },
  'POST /api/customers': {
    targeted: [
      (f) => ({
        method: 'POST',
        url: '/api/customers',
        payload: { name: '入侵', phone: '13600000000', merchantId: f.aMerchant },
      }),
    ],
    untargeted: [],
  },
  'GET /api/customers': {
    targeted: [(f) => ({ method: 'GET', url: `/api/customers?merchantId=${f.aMerchant}` })],
    untargeted: [() => ({ method: 'GET', url: '/api/customers' })],
  },
  'POST /api/customers/lookup': {
    targeted: [
      (f) => ({
        method: 'POST',
        url: '/api/customers/lookup',
        payload: { phone: A_PHONE, merchantId: f.aMerchant },
      }),
    ],
    untargeted: [
      () => ({ method: 'POST', url: '/api/customers/lookup', payload: { phone: A_PHONE } }),
    ],
  },
  'GET /api/customers/:id': {
    targeted: [(f) => ({ method: 'GET', url: `/api/customers/${f.aCustomer}` })],
    untargeted: [],
  },
  'POST /api/customers/:id/reveal': {
    targeted: [
      (f) => ({
        method: 'POST',
        url: `/api/customers/${f.aCustomer}/reveal`,
        payload: { fields: ['phone', 'name'], reason: 'curious' },
      }),
    ],
    untargeted: [],
  },
  'GET /api/audit': {
    targeted: [(f) => ({ method: 'GET', url: `/api/audit?merchantId=${f.aMerchant}` })],
    // Filtering by A's subject stays inside B's own trail: an empty answer, not an error.
    untargeted: [
      () => ({ method: 'GET', url: '/api/audit' }),
      (f) => ({ method: 'GET', url: `/api/audit?subjectId=${f.aCustomer}` }),
    ],
  },
};

describe.each(dialectsUnderTest())('tenant isolation on %s', (dialect) => {
  let h: Harness;
  let fixture: Fixture;
  let intruders: { label: string; headers: Record<string, string> }[];
  let aAdmin: Session;

  beforeAll(async () => {
    h = await startHarness(dialect, { env: { ANXIN_RATE_LIMIT_PER_MINUTE: '100000' } });
    const admin = await signInAdmin(h);
    const a = await seedMerchant(h, admin, 'Alpha');
    const b = await seedMerchant(h, admin, 'Bravo');
    aAdmin = a.sessions.merchant_admin;
    const customer = await h.app.inject({
      method: 'POST',
      url: '/api/customers',
      headers: as(a.sessions.agent),
      payload: { name: A_NAME, phone: A_PHONE, address: '甲地址路1号' },
    });
    const key = await h.app.inject({
      method: 'POST',
      url: '/api/api-keys',
      headers: as(aAdmin),
      payload: { name: 'A ERP', scopes: ['customers:read', 'customers:write'] },
    });
    const bKey = await h.app.inject({
      method: 'POST',
      url: '/api/api-keys',
      headers: as(b.sessions.merchant_admin),
      payload: { name: 'B ERP', scopes: ['customers:read', 'customers:write'] },
    });
    fixture = {
      aMerchant: a.merchantId,
      aUser: a.sessions.agent.userId,
      aKey: key.json<{ apiKey: { id: string } }>().apiKey.id,
      aKeySecret: key.json<{ secret: string }>().secret,
      aCustomer: customer.json<{ id: string }>().id,
    };
    // B has its own customer with the same phone number: lookups must find B's, never A's.
    await h.app.inject({
      method: 'POST',
      url: '/api/customers',
      headers: as(b.sessions.agent),
      payload: { name: '乙方客户', phone: A_PHONE },
    });
    intruders = [
      ...Object.entries(b.sessions).map(([role, s]) => ({ label: `B ${role}`, headers: as(s) })),
      {
        label: 'B API key',
        headers: { authorization: `Bearer ${bKey.json<{ secret: string }>().secret}` },
      },
    ];
  });

  afterAll(async () => h.close());

  it('has a cross-tenant case for every authenticated route', () => {
    const routes = h.app.routeTable
      .filter((r) => !r.isPublic && r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'))
      .map((r) => `${r.method} ${r.url}`);
    expect(routes.length).toBeGreaterThan(15);
    expect(routes.filter((r) => !(r in CASES))).toEqual([]);
  });

  it('leaks nothing of merchant A to any of merchant B’s users or keys, on any route', async () => {
    // B legitimately has a customer with the same phone, so only A's identifiers and plaintext count as leaks.
    const secrets = [
      fixture.aMerchant,
      fixture.aUser,
      fixture.aKey,
      fixture.aCustomer,
      A_NAME,
      '甲*',
      A_PHONE,
      '甲地址',
      'Alpha',
    ];
    let count = 0;
    for (const [route, { targeted, untargeted }] of Object.entries(CASES)) {
      for (const intruder of intruders) {
        for (const make of [...targeted, ...untargeted]) {
          const request = make(fixture);
          const response = await h.app.inject({
            ...request,
            headers: { ...intruder.headers, ...request.headers },
          });
          count += 1;
          expect(response.statusCode, `${intruder.label} ${route}`).toBeLessThan(500);
          for (const secret of secrets) {
            expect(
              response.body.includes(secret),
              `${intruder.label} ${route} leaked ${secret}: ${response.body}`,
            ).toBe(false);
          }
          if (targeted.includes(make)) {
            expect(
              [400, 403, 404],
              `${intruder.label} ${route} → ${response.statusCode}`,
            ).toContain(response.statusCode);
          }
        }
      }
    }
    expect(count).toBeGreaterThan(100);
  });

  it('leaves merchant A’s data untouched after the attempts', async () => {
    const user = await h.app.inject({
      method: 'GET',
      url: `/api/users/${fixture.aUser}`,
      headers: as(aAdmin),
    });
    expect(user.json()).toMatchObject({ status: 'active', displayName: 'agent of Alpha' });
    const viaKey = await h.app.inject({
      method: 'GET',
      url: '/api/customers',
      headers: { authorization: `Bearer ${fixture.aKeySecret}` },
    });
    expect(viaKey.statusCode).toBe(200);
    expect(viaKey.json<{ items: { id: string }[] }>().items.map((c) => c.id)).toEqual([
      fixture.aCustomer,
    ]);
    const users = await h.app.inject({ method: 'GET', url: '/api/users', headers: as(aAdmin) });
    expect(users.body).not.toContain('intruder');
    const audit = await h.app.inject({
      method: 'GET',
      url: '/api/audit?limit=500',
      headers: as(aAdmin),
    });
    expect(
      audit
        .json<{ items: { action: string }[] }>()
        .items.filter((e) => e.action === 'customer.revealed'),
    ).toEqual([]);
  });

  it('ends only the caller’s own session on sign-out', async () => {
    const out = await h.app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: intruders[0]!.headers,
    });
    expect(out.statusCode).toBe(204);
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: as(aAdmin) })).statusCode,
    ).toBe(200);
  });
});
