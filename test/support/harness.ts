import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/auth/index.js';
import { loadConfig, type Config } from '../../src/config/index.js';
import { buildHttpApp } from '../../src/http/app.js';
import { startRuntime, type Runtime, type RuntimeOptions } from '../../src/runtime/index.js';
import type { DialectName } from '../../src/store/index.js';
import { createTestDatabase, type TestDatabase } from './dialects.js';

/** Collects everything the app logs, to prove personal data never reaches it. */
export class LogCapture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, callback: () => void) {
    this.text += chunk.toString('utf8');
    callback();
  }
}

export interface Harness {
  db: TestDatabase;
  config: Config;
  runtime: Runtime;
  app: FastifyInstance;
  logs: LogCapture;
  close(): Promise<void>;
}

export const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

export async function startHarness(
  dialect: DialectName,
  options: { env?: Record<string, string>; runtime?: RuntimeOptions; database?: TestDatabase } = {},
): Promise<Harness> {
  const db = options.database ?? (await createTestDatabase(dialect));
  const config = loadConfig({
    DATABASE_URL: db.databaseUrl,
    ANXIN_DATA_DIR: db.dataDir,
    LOG_LEVEL: 'info',
    ANXIN_MASTER_KEY: TEST_MASTER_KEY,
    ANXIN_WEB_DIR: `${db.dataDir}/no-web`,
    ...(db.schema ? { DATABASE_SCHEMA: db.schema } : {}),
    ...options.env,
  });
  const runtime = await startRuntime(config, {
    ...options.runtime,
    connect: { poolSize: 4, ...options.runtime?.connect },
  });
  const logs = new LogCapture();
  const app = await buildHttpApp({
    config,
    services: runtime.services,
    store: runtime.store,
    version: 'test',
    logStream: logs,
  });
  await app.ready();
  return {
    db,
    config,
    runtime,
    app,
    logs,
    close: async () => {
      await app.close();
      await runtime.close();
      if (!options.database) await db.dispose();
    },
  };
}

/** A signed-in console user: cookie and CSRF token ready for app.inject(). */
export interface Session {
  userId: string;
  username: string;
  role: Role;
  merchantId: string | null;
  cookie: string;
  csrf: string;
  password: string;
}

export function sessionCookieOf(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === 'anxin_session');
  if (!cookie) throw new Error(`no session cookie in ${response.statusCode} ${response.body}`);
  return `anxin_session=${cookie.value}`;
}

/** Signs in with a one-time password and changes it, as a new user would. */
export async function signInFresh(
  app: FastifyInstance,
  username: string,
  oneTimePassword: string,
): Promise<Session> {
  const first = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-in',
    payload: { username, password: oneTimePassword },
  });
  if (first.statusCode !== 200)
    throw new Error(`sign-in failed: ${first.statusCode} ${first.body}`);
  const body = first.json<{ csrfToken: string; user: { mustChangePassword: boolean } }>();
  const password = `Secret-Passw0rd!-${oneTimePassword.slice(0, 6)}`;
  const changed = await app.inject({
    method: 'POST',
    url: '/api/auth/password',
    headers: { cookie: sessionCookieOf(first), 'x-csrf-token': body.csrfToken },
    payload: { currentPassword: oneTimePassword, newPassword: password },
  });
  if (changed.statusCode !== 200)
    throw new Error(`password change failed: ${changed.statusCode} ${changed.body}`);
  const after = changed.json<{
    csrfToken: string;
    user: { id: string; role: Role; merchantId: string | null };
  }>();
  return {
    userId: after.user.id,
    username,
    role: after.user.role,
    merchantId: after.user.merchantId,
    cookie: sessionCookieOf(changed),
    csrf: after.csrfToken,
    password,
  };
}

/** Headers for an authenticated request as `session`. */
export function as(session: Session): Record<string, string> {
  return { cookie: session.cookie, 'x-csrf-token': session.csrf };
}

export async function signInAdmin(h: Harness): Promise<Session> {
  const first = h.runtime.firstAdmin;
  if (!first) throw new Error('the harness database already had users');
  return signInFresh(h.app, first.user.username, first.oneTimePassword);
}

/** A merchant with one user per merchant role, all signed in. */
export async function seedMerchant(h: Harness, admin: Session, name: string) {
  const merchant = (
    await h.app.inject({
      method: 'POST',
      url: '/api/merchants',
      headers: as(admin),
      payload: { name },
    })
  ).json<{ id: string }>();
  const sessions = {} as Record<Exclude<Role, 'platform_admin'>, Session>;
  for (const role of ['merchant_admin', 'agent', 'dispatcher', 'reviewer', 'technician'] as const) {
    const username =
      `${role.replace('_', '-')}-${name.toLowerCase().replace(/[^a-z0-9]/g, '')}`.slice(0, 60);
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: as(admin),
      payload: { username, displayName: `${role} of ${name}`, role, merchantId: merchant.id },
    });
    if (created.statusCode !== 201) throw new Error(`user create failed: ${created.body}`);
    sessions[role] = await signInFresh(
      h.app,
      username,
      created.json<{ oneTimePassword: string }>().oneTimePassword,
    );
  }
  return { merchantId: merchant.id, sessions };
}
