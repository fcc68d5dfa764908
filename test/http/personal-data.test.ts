import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/dialects.js';
import { as, seedMerchant, signInAdmin, startHarness, type Harness } from '../support/harness.js';

const PEOPLE: Record<string, string>[] = [
  {
    name: '孙悟空',
    phone: '13811112222',
    address: '花果山水帘洞1号',
    idNumber: '110101199001011234',
  },
  { name: '猪八戒', phone: '13933334444', address: '高老庄西头2号' },
];

/** Plaintext personal data may appear only in the answer to an audited reveal. */
describe.each(dialectsUnderTest())('personal data on %s', (dialect) => {
  let h: Harness;
  const outputs: string[] = [];

  beforeAll(async () => {
    h = await startHarness(dialect, { env: { LOG_LEVEL: 'trace' } });
    const admin = await signInAdmin(h);
    const { sessions } = await seedMerchant(h, admin, 'Echo');
    for (const person of PEOPLE) {
      const created = await h.app.inject({
        method: 'POST',
        url: '/api/customers',
        headers: { ...as(sessions.agent), 'x-forwarded-for': person.phone },
        payload: person,
      });
      outputs.push(created.body);
      const id = created.json<{ id: string }>().id;
      outputs.push(
        (
          await h.app.inject({
            method: 'POST',
            url: '/api/customers/lookup',
            headers: as(sessions.agent),
            payload: { phone: person.phone },
          })
        ).body,
      );
      outputs.push(
        (
          await h.app.inject({
            method: 'GET',
            url: `/api/customers/${id}`,
            headers: as(sessions.reviewer),
          })
        ).body,
      );
      // A failing request that carries personal data must not echo it in the error or the log.
      outputs.push(
        (
          await h.app.inject({
            method: 'POST',
            url: '/api/customers',
            headers: as(sessions.agent),
            payload: { ...person, extra: person.phone },
          })
        ).body,
      );
      outputs.push(
        (
          await h.app.inject({
            method: 'POST',
            url: '/api/customers',
            headers: as(sessions.reviewer),
            payload: person,
          })
        ).body,
      );
      const revealed = await h.app.inject({
        method: 'POST',
        url: `/api/customers/${id}/reveal`,
        headers: as(sessions.agent),
        payload: { fields: ['phone'], reason: 'arrange the visit' },
      });
      expect(revealed.json()).toEqual({ phone: person.phone });
    }
    outputs.push(
      (
        await h.app.inject({
          method: 'GET',
          url: '/api/audit?limit=500',
          headers: as(sessions.merchant_admin),
        })
      ).body,
    );
  });
  afterAll(async () => h.close());

  it('keeps names, phones, addresses and ID numbers out of the logs, even at trace level', () => {
    expect(h.logs.text.length).toBeGreaterThan(2000);
    for (const person of PEOPLE) {
      for (const value of Object.values(person))
        expect(h.logs.text.includes(value), `log contains ${value}`).toBe(false);
    }
  });

  it('keeps them out of every answer but the reveal, including errors and the audit trail', () => {
    const all = outputs.join('\n');
    for (const person of PEOPLE) {
      for (const value of Object.values(person))
        expect(all.includes(value), `answer contains ${value}`).toBe(false);
    }
    expect(all).toContain('138****2222');
  });
});
