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

/** Every bad request gets a 4xx with a stable code and the one error body; nothing is half-stored. */
describe.each(dialectsUnderTest())('bad input on %s', (dialect) => {
  let h: Harness;
  let agent: Session;
  let admin: Session;

  beforeAll(async () => {
    h = await startHarness(dialect, {
      env: { ANXIN_BODY_LIMIT_BYTES: '4096', ANXIN_RATE_LIMIT_PER_MINUTE: '100000' },
    });
    admin = await signInAdmin(h);
    agent = (await seedMerchant(h, admin, 'Delta')).sessions.agent;
  });
  afterAll(async () => h.close());

  async function customerCount() {
    return (await h.runtime.store.db.selectFrom('customers').select('id').execute()).length;
  }

  function post(payload: string, contentType = 'application/json') {
    return h.app.inject({
      method: 'POST',
      url: '/api/customers',
      headers: { ...as(agent), 'content-type': contentType },
      payload,
    });
  }

  it('answers malformed JSON with 400 REQUEST_MALFORMED', async () => {
    const response = await post('{"name": "张三", "phone": ');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: { code: 'REQUEST_MALFORMED', message: expect.any(String) as unknown },
    });
  });

  it('refuses unknown fields with 400 REQUEST_INVALID naming the field', async () => {
    const response = await post(
      JSON.stringify({ name: '张三', phone: '13812345678', isVip: true }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error: { code: 'REQUEST_INVALID', details: { context: 'body' } },
    });
    expect(response.body).toContain('isVip');
  });

  it('refuses wrong types and missing fields with 400 REQUEST_INVALID', async () => {
    for (const body of [
      { name: 123, phone: '13812345678' },
      { name: '张三' },
      { name: '张三', phone: ['138'] },
      [],
      'text',
      null,
      42,
    ]) {
      const response = await post(JSON.stringify(body));
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(['REQUEST_INVALID', 'REQUEST_MALFORMED']).toContain(
        response.json<{ error: { code: string } }>().error.code,
      );
    }
  });

  it('refuses a body over the limit with 413 REQUEST_TOO_LARGE', async () => {
    const response = await post(
      JSON.stringify({ name: '张三', phone: '13812345678', address: 'x'.repeat(10_000) }),
    );
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ error: { code: 'REQUEST_TOO_LARGE' } });
  });

  it('refuses a body that is not JSON with 415 REQUEST_UNSUPPORTED_MEDIA_TYPE', async () => {
    const response = await post('name=张三', 'application/x-www-form-urlencoded');
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ error: { code: 'REQUEST_UNSUPPORTED_MEDIA_TYPE' } });
  });

  it('refuses a phone that is not a phone number without echoing it', async () => {
    const response = await post(JSON.stringify({ name: '张三', phone: 'call-me-maybe' }));
    expect(response.json()).toMatchObject({ error: { code: 'CUSTOMER_PHONE_INVALID' } });
    expect(response.body).not.toContain('call-me-maybe');
  });

  it('refuses bad query parameters and unknown routes with stable codes', async () => {
    const badLimit = await h.app.inject({
      method: 'GET',
      url: '/api/customers?limit=abc',
      headers: as(agent),
    });
    expect(badLimit.json()).toMatchObject({
      error: { code: 'REQUEST_INVALID', details: { context: 'querystring' } },
    });
    const unknownParam = await h.app.inject({
      method: 'GET',
      url: '/api/customers?sort=name',
      headers: as(agent),
    });
    expect(unknownParam.statusCode).toBe(400);
    const missing = await h.app.inject({
      method: 'GET',
      url: '/api/nothing-here',
      headers: as(agent),
    });
    expect(missing.json()).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } });
    const anonymous = await h.app.inject({ method: 'GET', url: '/api/customers' });
    expect(anonymous.json()).toMatchObject({ error: { code: 'AUTH_UNAUTHENTICATED' } });
  });

  it('stores nothing from any refused request', async () => {
    expect(await customerCount()).toBe(0);
  });

  it('never answers 500 to garbage on any write route', async () => {
    const bodies = [
      '',
      '{',
      '[]',
      '"x"',
      '0',
      'null',
      '{"a":{"b":{"c":{"d":[1,2,3]}}}}',
      JSON.stringify({ id: 'x'.repeat(500) }),
      '\u0000\u0001',
    ];
    const routes = h.app.routeTable.filter(
      (r) => ['POST', 'PATCH', 'PUT', 'DELETE'].includes(r.method) && r.url.startsWith('/api/'),
    );
    expect(routes.length).toBeGreaterThan(8);
    for (const route of routes) {
      const url = route.url.replace(':id', 'no-such-id');
      for (const payload of bodies) {
        const response = await h.app.inject({
          method: route.method as 'POST',
          url,
          headers: { ...as(admin), 'content-type': 'application/json' },
          payload,
        });
        expect(response.statusCode, `${route.method} ${url} ${payload}`).toBeLessThan(500);
        expect(
          response.statusCode === 204 || 'error' in response.json() || response.statusCode < 300,
          `${route.method} ${url}`,
        ).toBe(true);
      }
    }
  });

  it('answers every request with a request id, honouring a sane one from the caller', async () => {
    const own = await h.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'call-center-42' },
    });
    expect(own.headers['x-request-id']).toBe('call-center-42');
    const odd = await h.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
