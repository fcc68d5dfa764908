import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/kernel/index.js';
import { dialectsUnderTest } from '../support/dialects.js';
import {
  as,
  sessionCookieOf,
  signInAdmin,
  signInFresh,
  startHarness,
  type Harness,
} from '../support/harness.js';

describe.each(dialectsUnderTest())('signing in on %s', (dialect) => {
  let h: Harness;
  afterEach(async () => h.close());

  it('sets an HttpOnly SameSite=Strict session cookie and asks for a new password after a one-time password', async () => {
    h = await startHarness(dialect);
    const first = h.runtime.firstAdmin!;
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: 'ADMIN', password: first.oneTimePassword },
    });
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'anxin_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const body = response.json<{
      user: { mustChangePassword: boolean; role: string };
      csrfToken: string;
    }>();
    expect(body.user).toMatchObject({ mustChangePassword: true, role: 'platform_admin' });

    const blocked = await h.app.inject({
      method: 'GET',
      url: '/api/merchants',
      headers: { cookie: sessionCookieOf(response) },
    });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json()).toMatchObject({ error: { code: 'AUTH_PASSWORD_CHANGE_REQUIRED' } });

    const weak = await h.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie: sessionCookieOf(response), 'x-csrf-token': body.csrfToken },
      payload: { currentPassword: first.oneTimePassword, newPassword: 'short' },
    });
    expect(weak.json()).toMatchObject({ error: { code: 'AUTH_WEAK_PASSWORD' } });

    const admin = await signInFresh(h.app, 'admin', first.oneTimePassword);
    const merchants = await h.app.inject({
      method: 'GET',
      url: '/api/merchants',
      headers: as(admin),
    });
    expect(merchants.statusCode).toBe(200);
    // The one-time password is spent.
    const again = await h.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: 'admin', password: first.oneTimePassword },
    });
    expect(again.json()).toMatchObject({ error: { code: 'AUTH_INVALID_CREDENTIALS' } });
  });

  it('stores passwords as argon2id hashes only', async () => {
    h = await startHarness(dialect);
    const admin = await signInAdmin(h);
    const row = await h.runtime.store.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', admin.userId)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.password_hash).not.toContain(admin.password);
  });

  it('answers the same for an unknown user and a wrong password', async () => {
    h = await startHarness(dialect);
    const unknown = await h.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: 'nobody', password: 'whatever-password' },
    });
    const wrong = await h.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: 'admin', password: 'whatever-password' },
    });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
  });

  it('locks an account after five wrong passwords, refuses even the right one, and unlocks after the lockout', async () => {
    const clock = manualClock('2026-12-01T00:00:00Z');
    h = await startHarness(dialect, { runtime: { clock } });
    const admin = await signInAdmin(h);
    for (let i = 0; i < 4; i += 1) {
      const r = await h.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { username: 'admin', password: `wrong-${i}` },
      });
      expect(r.statusCode).toBe(401);
    }
    const fifth = await h.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: 'admin', password: 'wrong-5' },
    });
    expect(fifth.statusCode).toBe(401);
    const locked = await h.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: 'admin', password: admin.password },
    });
    expect(locked.statusCode).toBe(423);
    expect(locked.json()).toMatchObject({
      error: { code: 'AUTH_ACCOUNT_LOCKED', details: { retryAfterSeconds: 900 } },
    });
    expect(locked.headers['retry-after']).toBe('900');

    clock.advance(15 * 60_000 + 1000);
    const unlocked = await h.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: 'admin', password: admin.password },
    });
    expect(unlocked.statusCode).toBe(200);
    const audit = await h.runtime.services.audit.list({ limit: 50 });
    expect(audit.some((e) => e.action === 'user.locked_out')).toBe(true);
  });

  it('rate-limits sign-in attempts from one address', async () => {
    h = await startHarness(dialect, { env: { ANXIN_SIGNIN_RATE_LIMIT_PER_MINUTE: '3' } });
    const codes: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const r = await h.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { username: `user${i}`, password: 'nope-nope-nope' },
      });
      codes.push(r.statusCode);
      if (r.statusCode === 429) expect(r.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    }
    expect(codes).toEqual([401, 401, 401, 429, 429]);
  });

  it('refuses a state-changing request without the CSRF token, with a wrong one, or from a foreign origin', async () => {
    h = await startHarness(dialect);
    const admin = await signInAdmin(h);
    const missing = await h.app.inject({
      method: 'POST',
      url: '/api/merchants',
      headers: { cookie: admin.cookie },
      payload: { name: 'X' },
    });
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toMatchObject({ error: { code: 'AUTH_CSRF_INVALID' } });
    const wrong = await h.app.inject({
      method: 'POST',
      url: '/api/merchants',
      headers: { cookie: admin.cookie, 'x-csrf-token': 'x'.repeat(32) },
      payload: { name: 'X' },
    });
    expect(wrong.statusCode).toBe(403);
    const foreign = await h.app.inject({
      method: 'POST',
      url: '/api/merchants',
      headers: { ...as(admin), origin: 'https://evil.example' },
      payload: { name: 'X' },
    });
    expect(foreign.statusCode).toBe(403);
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/merchants', headers: as(admin) })).json(),
    ).toEqual({ items: [] });
    const ok = await h.app.inject({
      method: 'POST',
      url: '/api/merchants',
      headers: { ...as(admin), origin: 'http://localhost:80' },
      payload: { name: 'X' },
    });
    expect(ok.statusCode).toBe(201);
    // Reads need no token.
    expect(
      (
        await h.app.inject({
          method: 'GET',
          url: '/api/merchants',
          headers: { cookie: admin.cookie },
        })
      ).statusCode,
    ).toBe(200);
  });

  it('ends the session on sign-out and for a disabled user', async () => {
    h = await startHarness(dialect);
    const admin = await signInAdmin(h);
    const merchant = (
      await h.app.inject({
        method: 'POST',
        url: '/api/merchants',
        headers: as(admin),
        payload: { name: 'M' },
      })
    ).json<{ id: string }>();
    const created = (
      await h.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: as(admin),
        payload: {
          username: 'agent1',
          displayName: 'Agent',
          role: 'agent',
          merchantId: merchant.id,
        },
      })
    ).json<{ user: { id: string }; oneTimePassword: string }>();
    const agent = await signInFresh(h.app, 'agent1', created.oneTimePassword);
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: as(agent) })).statusCode,
    ).toBe(200);

    const disabled = await h.app.inject({
      method: 'PATCH',
      url: `/api/users/${created.user.id}`,
      headers: as(admin),
      payload: { status: 'disabled' },
    });
    expect(disabled.json()).toMatchObject({ status: 'disabled' });
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: as(agent) })).statusCode,
    ).toBe(401);
    const signIn = await h.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { username: 'agent1', password: agent.password },
    });
    expect(signIn.statusCode).toBe(401);

    const out = await h.app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: as(admin),
    });
    expect(out.statusCode).toBe(204);
    const me = await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: as(admin) });
    expect(me.json()).toMatchObject({ error: { code: 'AUTH_UNAUTHENTICATED' } });
  });

  it('expires a session after its lifetime', async () => {
    const clock = manualClock('2026-12-01T00:00:00Z');
    h = await startHarness(dialect, { runtime: { clock }, env: { ANXIN_SESSION_TTL_HOURS: '2' } });
    const admin = await signInAdmin(h);
    clock.advance(2 * 3_600_000 - 1000);
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: as(admin) })).statusCode,
    ).toBe(200);
    clock.advance(2000);
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: as(admin) })).statusCode,
    ).toBe(401);
  });
});

describe.each(dialectsUnderTest())('API keys on %s', (dialect) => {
  let h: Harness;
  afterEach(async () => h.close());

  it('shows the secret once, stores only its hash, honours scopes and stops working when revoked', async () => {
    h = await startHarness(dialect);
    const admin = await signInAdmin(h);
    const merchant = (
      await h.app.inject({
        method: 'POST',
        url: '/api/merchants',
        headers: as(admin),
        payload: { name: 'M' },
      })
    ).json<{ id: string }>();
    const readOnly = await h.app.inject({
      method: 'POST',
      url: '/api/api-keys',
      headers: as(admin),
      payload: { name: 'ERP read', scopes: ['customers:read'], merchantId: merchant.id },
    });
    expect(readOnly.statusCode).toBe(201);
    const { apiKey, secret } = readOnly.json<{
      apiKey: { id: string; prefix: string };
      secret: string;
    }>();
    expect(secret).toMatch(new RegExp(`^axk_${apiKey.prefix}_`));

    const listed = await h.app.inject({
      method: 'GET',
      url: `/api/api-keys?merchantId=${merchant.id}`,
      headers: as(admin),
    });
    expect(listed.body).not.toContain(secret.split('_')[2]);
    const rows = await h.runtime.store.db.selectFrom('api_keys').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(secret.split('_')[2]);

    const bearer = { authorization: `Bearer ${secret}` };
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/customers', headers: bearer })).statusCode,
    ).toBe(200);
    const write = await h.app.inject({
      method: 'POST',
      url: '/api/customers',
      headers: bearer,
      payload: { name: '张三', phone: '13812345678' },
    });
    expect(write.json()).toMatchObject({ error: { code: 'AUTH_FORBIDDEN' } });
    const manage = await h.app.inject({ method: 'GET', url: '/api/users', headers: bearer });
    expect(manage.statusCode).toBe(403);

    const revoked = await h.app.inject({
      method: 'DELETE',
      url: `/api/api-keys/${apiKey.id}`,
      headers: as(admin),
    });
    expect(revoked.json()).toMatchObject({ revokedAt: expect.any(String) as unknown });
    const after = await h.app.inject({ method: 'GET', url: '/api/customers', headers: bearer });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ error: { code: 'AUTH_INVALID_API_KEY' } });
  });

  it('lets a write-scoped key file customers without a CSRF token, for its own merchant only', async () => {
    h = await startHarness(dialect);
    const admin = await signInAdmin(h);
    const merchant = (
      await h.app.inject({
        method: 'POST',
        url: '/api/merchants',
        headers: as(admin),
        payload: { name: 'M' },
      })
    ).json<{ id: string }>();
    const { secret } = (
      await h.app.inject({
        method: 'POST',
        url: '/api/api-keys',
        headers: as(admin),
        payload: {
          name: 'CRM',
          scopes: ['customers:read', 'customers:write'],
          merchantId: merchant.id,
        },
      })
    ).json<{ secret: string }>();
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/customers',
      headers: { authorization: `Bearer ${secret}` },
      payload: { name: '张三', phone: '13812345678' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      merchantId: merchant.id,
      phone: '138****5678',
      name: '张*',
    });
    const audit = await h.runtime.services.audit.list({ merchantId: merchant.id, limit: 10 });
    expect(audit[0]).toMatchObject({ action: 'customer.created', actorType: 'api_key' });
  });
});
