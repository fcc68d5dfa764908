import { AppError } from '../kernel/index.js';
import { actorOf } from './actor.js';
import type { AuthDeps, RequestMeta } from './deps.js';
import type { Principal, Role, User, UserStatus } from './model.js';
import { generateOneTimePassword, hashPassword } from './passwords.js';
import { toUser } from './rows.js';
import {
  assertCanAssignRole,
  assertValidUsername,
  authorize,
  canSeeMerchant,
  merchantFilter,
  normalizeUsername,
} from './rules.js';

export interface CreateUserInput {
  username: string;
  displayName: string;
  role: Role;
  merchantId: string | null;
}

export interface CreatedUser {
  user: User;
  /** Shown once to whoever created the account; the user must change it at first sign-in. */
  oneTimePassword: string;
}

export function createUserService(deps: AuthDeps) {
  async function insertUser(
    input: CreateUserInput,
    actor: Principal | 'system',
    meta: RequestMeta,
  ): Promise<CreatedUser> {
    const username = normalizeUsername(input.username);
    assertValidUsername(username);
    if (input.merchantId !== null) {
      const merchant = await deps.db
        .selectFrom('merchants')
        .select('id')
        .where('id', '=', input.merchantId)
        .executeTakeFirst();
      if (!merchant) throw new AppError('MERCHANT_NOT_FOUND', 'not_found', 'Merchant not found');
    }
    const taken = await deps.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', username)
      .executeTakeFirst();
    if (taken) throw new AppError('USER_USERNAME_TAKEN', 'conflict', 'That username is taken');
    const oneTimePassword = generateOneTimePassword();
    const now = deps.clock.now().toISOString();
    const row = {
      id: deps.ids(),
      merchant_id: input.merchantId,
      username,
      display_name: input.displayName.trim(),
      role: input.role,
      password_hash: await hashPassword(oneTimePassword),
      must_change_password: 1,
      status: 'active',
      failed_sign_ins: 0,
      locked_until: null,
      last_sign_in_at: null,
      created_at: now,
      updated_at: now,
    };
    await deps.db.transaction().execute(async (trx) => {
      await trx.insertInto('users').values(row).execute();
      await deps.audit.record(trx, {
        merchantId: row.merchant_id,
        actor: actor === 'system' ? { type: 'system', id: null } : actorOf(actor),
        action: 'user.created',
        subjectType: 'user',
        subjectId: row.id,
        details: { role: row.role },
        requestId: meta.requestId ?? null,
      });
    });
    return { user: toUser(row), oneTimePassword };
  }

  async function findVisible(principal: Principal, id: string) {
    const row = await deps.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || !canSeeMerchant(principal, row.merchant_id))
      throw new AppError('USER_NOT_FOUND', 'not_found', 'User not found');
    return row;
  }

  return {
    async create(
      principal: Principal,
      input: CreateUserInput,
      meta: RequestMeta = {},
    ): Promise<CreatedUser> {
      authorize(principal, 'users:manage');
      const merchantId = principal.merchantId ?? input.merchantId;
      if (
        principal.merchantId !== null &&
        input.merchantId !== null &&
        input.merchantId !== principal.merchantId
      ) {
        throw new AppError('MERCHANT_NOT_FOUND', 'not_found', 'Merchant not found');
      }
      assertCanAssignRole(principal, input.role, merchantId);
      return insertUser({ ...input, merchantId }, principal, meta);
    },

    /** For the CLI and first start, which act as the system rather than a signed-in user. */
    createAsSystem(input: CreateUserInput): Promise<CreatedUser> {
      if (input.role === 'platform_admin' && input.merchantId !== null) {
        throw new AppError(
          'USER_ROLE_INVALID',
          'invalid',
          'A platform admin belongs to no merchant',
        );
      }
      if (input.role !== 'platform_admin' && input.merchantId === null) {
        throw new AppError(
          'MERCHANT_REQUIRED',
          'invalid',
          `Accounts with role ${input.role} belong to a merchant`,
        );
      }
      return insertUser(input, 'system', {});
    },

    /** Creates the first platform admin when the database has no users. */
    async ensureFirstAdmin(): Promise<CreatedUser | null> {
      const any = await deps.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
      if (any) return null;
      return insertUser(
        {
          username: 'admin',
          displayName: 'Administrator',
          role: 'platform_admin',
          merchantId: null,
        },
        'system',
        {},
      );
    },

    async list(principal: Principal, query: { merchantId?: string }): Promise<User[]> {
      authorize(principal, 'users:read');
      const merchantId = merchantFilter(principal, query.merchantId);
      let q = deps.db.selectFrom('users').selectAll().orderBy('created_at').orderBy('id');
      if (merchantId !== null) q = q.where('merchant_id', '=', merchantId);
      return (await q.execute()).map(toUser);
    },

    async get(principal: Principal, id: string): Promise<User> {
      authorize(principal, 'users:read');
      return toUser(await findVisible(principal, id));
    },

    async update(
      principal: Principal,
      id: string,
      patch: { displayName?: string; role?: Role; status?: UserStatus },
      meta: RequestMeta = {},
    ): Promise<User> {
      authorize(principal, 'users:manage');
      const row = await findVisible(principal, id);
      if (patch.role !== undefined) assertCanAssignRole(principal, patch.role, row.merchant_id);
      if (
        row.role === 'platform_admin' &&
        principal.kind === 'user' &&
        principal.role !== 'platform_admin'
      ) {
        throw new AppError(
          'AUTH_FORBIDDEN',
          'forbidden',
          'Only a platform admin can change a platform admin',
        );
      }
      if (
        principal.kind === 'user' &&
        principal.userId === id &&
        (patch.status === 'disabled' || patch.role !== undefined)
      ) {
        throw new AppError(
          'USER_SELF_CHANGE_FORBIDDEN',
          'forbidden',
          'You cannot disable yourself or change your own role',
        );
      }
      const now = deps.clock.now().toISOString();
      const changes = {
        ...(patch.displayName !== undefined ? { display_name: patch.displayName.trim() } : {}),
        ...(patch.role !== undefined ? { role: patch.role } : {}),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        updated_at: now,
      };
      await deps.db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set(changes).where('id', '=', id).execute();
        if (patch.status === 'disabled')
          await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
        await deps.audit.record(trx, {
          merchantId: row.merchant_id,
          actor: actorOf(principal),
          action: 'user.updated',
          subjectType: 'user',
          subjectId: id,
          details: {
            fields: Object.keys(patch),
            ...(patch.role ? { role: patch.role } : {}),
            ...(patch.status ? { status: patch.status } : {}),
          },
          requestId: meta.requestId ?? null,
        });
      });
      return toUser({ ...row, ...changes });
    },

    /** Issues a new one-time password (an admin helping a locked-out colleague). */
    async resetPassword(
      principal: Principal,
      id: string,
      meta: RequestMeta = {},
    ): Promise<CreatedUser> {
      authorize(principal, 'users:manage');
      const row = await findVisible(principal, id);
      if (
        row.role === 'platform_admin' &&
        principal.kind === 'user' &&
        principal.role !== 'platform_admin'
      ) {
        throw new AppError(
          'AUTH_FORBIDDEN',
          'forbidden',
          'Only a platform admin can reset a platform admin',
        );
      }
      const oneTimePassword = generateOneTimePassword();
      const now = deps.clock.now().toISOString();
      const changes = {
        password_hash: await hashPassword(oneTimePassword),
        must_change_password: 1,
        failed_sign_ins: 0,
        locked_until: null,
        updated_at: now,
      };
      await deps.db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set(changes).where('id', '=', id).execute();
        await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
        await deps.audit.record(trx, {
          merchantId: row.merchant_id,
          actor: actorOf(principal),
          action: 'user.password_reset',
          subjectType: 'user',
          subjectId: id,
          requestId: meta.requestId ?? null,
        });
      });
      return { user: toUser({ ...row, ...changes }), oneTimePassword };
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
