import { createHash } from 'node:crypto';
import { AppError, randomToken } from '../kernel/index.js';
import type { AuthDeps, AuthSettings, RequestMeta } from './deps.js';
import type { Principal, User } from './model.js';
import { burnPasswordCheck, hashPassword, verifyPassword } from './passwords.js';
import { toUser } from './rows.js';
import {
  afterFailedSignIn,
  assertStrongPassword,
  lockedForSeconds,
  normalizeUsername,
} from './rules.js';

export interface SignedIn {
  user: User;
  /** Goes into the HttpOnly cookie; only its hash is stored. */
  sessionToken: string;
  csrfToken: string;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

// Refreshing last_seen_at on every request would turn reads into writes.
const TOUCH_INTERVAL_MS = 5 * 60_000;

const invalidCredentials = () =>
  new AppError('AUTH_INVALID_CREDENTIALS', 'unauthenticated', 'Wrong username or password');

export function createSessionService(deps: AuthDeps, settings: AuthSettings) {
  async function openSession(userId: string): Promise<{ sessionToken: string; csrfToken: string }> {
    const sessionToken = randomToken(32);
    const csrfToken = randomToken(24);
    const now = deps.clock.now();
    await deps.db
      .insertInto('sessions')
      .values({
        id: hashSecret(sessionToken),
        user_id: userId,
        csrf_token: csrfToken,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + settings.sessionTtlHours * 3_600_000).toISOString(),
        last_seen_at: now.toISOString(),
      })
      .execute();
    return { sessionToken, csrfToken };
  }

  return {
    async signIn(
      input: { username: string; password: string },
      meta: RequestMeta = {},
    ): Promise<SignedIn> {
      const username = normalizeUsername(input.username);
      const row = await deps.db
        .selectFrom('users')
        .selectAll()
        .where('username', '=', username)
        .executeTakeFirst();
      if (!row) {
        await burnPasswordCheck(input.password);
        throw invalidCredentials();
      }
      const now = deps.clock.now();
      const lockedSeconds = lockedForSeconds(row.locked_until, now);
      if (lockedSeconds > 0) {
        throw new AppError(
          'AUTH_ACCOUNT_LOCKED',
          'locked',
          'Too many failed sign-ins; try again later',
          {
            retryAfterSeconds: lockedSeconds,
          },
        );
      }
      const isValid = await verifyPassword(row.password_hash, input.password);
      if (!isValid || row.status !== 'active') {
        if (!isValid) {
          const next = afterFailedSignIn(
            { failedSignIns: row.failed_sign_ins, lockedUntil: row.locked_until },
            now,
            settings.signInMaxFailures,
            settings.signInLockoutMinutes,
          );
          await deps.db.transaction().execute(async (trx) => {
            await trx
              .updateTable('users')
              .set({ failed_sign_ins: next.failedSignIns, locked_until: next.lockedUntil })
              .where('id', '=', row.id)
              .execute();
            if (next.lockedUntil !== row.locked_until) {
              await deps.audit.record(trx, {
                merchantId: row.merchant_id,
                actor: { type: 'system', id: null },
                action: 'user.locked_out',
                subjectType: 'user',
                subjectId: row.id,
                details: { lockedUntil: next.lockedUntil },
                requestId: meta.requestId ?? null,
              });
            }
          });
        }
        throw invalidCredentials();
      }
      const nowIso = now.toISOString();
      await deps.db
        .updateTable('users')
        .set({ failed_sign_ins: 0, locked_until: null, last_sign_in_at: nowIso })
        .where('id', '=', row.id)
        .execute();
      const tokens = await openSession(row.id);
      await deps.audit.record(deps.db, {
        merchantId: row.merchant_id,
        actor: { type: 'user', id: row.id },
        action: 'user.signed_in',
        subjectType: 'user',
        subjectId: row.id,
        requestId: meta.requestId ?? null,
      });
      return {
        user: toUser({ ...row, last_sign_in_at: nowIso, failed_sign_ins: 0, locked_until: null }),
        ...tokens,
      };
    },

    /** The principal behind a session cookie, or null when it is unknown, expired or its user disabled. */
    async authenticate(
      sessionToken: string,
    ): Promise<{ principal: Principal; csrfToken: string } | null> {
      const id = hashSecret(sessionToken);
      const row = await deps.db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select([
          'sessions.id as sessionId',
          'sessions.csrf_token',
          'sessions.expires_at',
          'sessions.last_seen_at',
          'users.id as userId',
          'users.username',
          'users.display_name',
          'users.role',
          'users.merchant_id',
          'users.status',
          'users.must_change_password',
        ])
        .where('sessions.id', '=', id)
        .executeTakeFirst();
      const now = deps.clock.now();
      if (!row || row.status !== 'active') return null;
      if (new Date(row.expires_at).getTime() <= now.getTime()) {
        await deps.db.deleteFrom('sessions').where('id', '=', id).execute();
        return null;
      }
      if (now.getTime() - new Date(row.last_seen_at).getTime() > TOUCH_INTERVAL_MS) {
        await deps.db
          .updateTable('sessions')
          .set({ last_seen_at: now.toISOString() })
          .where('id', '=', id)
          .execute();
      }
      return {
        csrfToken: row.csrf_token,
        principal: {
          kind: 'user',
          userId: row.userId,
          username: row.username,
          displayName: row.display_name,
          role: row.role as Extract<Principal, { kind: 'user' }>['role'],
          merchantId: row.merchant_id,
          sessionId: row.sessionId,
          mustChangePassword: row.must_change_password === 1,
        },
      };
    },

    async signOut(sessionId: string): Promise<void> {
      await deps.db.deleteFrom('sessions').where('id', '=', sessionId).execute();
    },

    /** Changes the password, ends every other session, and returns a fresh session. */
    async changePassword(
      principal: Principal,
      input: { currentPassword: string; newPassword: string },
      meta: RequestMeta = {},
    ): Promise<SignedIn> {
      if (principal.kind !== 'user')
        throw new AppError('AUTH_FORBIDDEN', 'forbidden', 'Only people have passwords');
      const row = await deps.db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', principal.userId)
        .executeTakeFirstOrThrow();
      if (!(await verifyPassword(row.password_hash, input.currentPassword)))
        throw invalidCredentials();
      assertStrongPassword(input.newPassword, row.username);
      if (input.newPassword === input.currentPassword) {
        throw new AppError(
          'AUTH_WEAK_PASSWORD',
          'invalid',
          'Choose a password different from the current one',
        );
      }
      const now = deps.clock.now().toISOString();
      const passwordHash = await hashPassword(input.newPassword);
      await deps.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({ password_hash: passwordHash, must_change_password: 0, updated_at: now })
          .where('id', '=', row.id)
          .execute();
        await trx.deleteFrom('sessions').where('user_id', '=', row.id).execute();
        await deps.audit.record(trx, {
          merchantId: row.merchant_id,
          actor: { type: 'user', id: row.id },
          action: 'user.password_changed',
          subjectType: 'user',
          subjectId: row.id,
          requestId: meta.requestId ?? null,
        });
      });
      const tokens = await openSession(row.id);
      return { user: toUser({ ...row, must_change_password: 0, updated_at: now }), ...tokens };
    },

    /** Removes expired sessions; run periodically. */
    async purgeExpired(): Promise<number> {
      const result = await deps.db
        .deleteFrom('sessions')
        .where('expires_at', '<=', deps.clock.now().toISOString())
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
