import type { Actor } from '../audit/index.js';
import { AppError } from '../kernel/index.js';
import type { AuthDeps, RequestMeta } from './deps.js';
import type { Merchant, Principal } from './model.js';
import { actorOf } from './actor.js';
import { authorize, canSeeMerchant } from './rules.js';
import { toMerchant } from './rows.js';

export function createMerchantService(deps: AuthDeps) {
  async function insertMerchant(
    input: { name: string },
    actor: Actor,
    meta: RequestMeta,
  ): Promise<Merchant> {
    const row = {
      id: deps.ids(),
      name: input.name.trim(),
      status: 'active',
      created_at: deps.clock.now().toISOString(),
    };
    if (row.name.length === 0)
      throw new AppError('MERCHANT_NAME_INVALID', 'invalid', 'A merchant needs a name');
    await deps.db.transaction().execute(async (trx) => {
      await trx.insertInto('merchants').values(row).execute();
      await deps.audit.record(trx, {
        merchantId: row.id,
        actor,
        action: 'merchant.created',
        subjectType: 'merchant',
        subjectId: row.id,
        requestId: meta.requestId ?? null,
      });
    });
    return toMerchant(row);
  }

  return {
    async create(
      principal: Principal,
      input: { name: string },
      meta: RequestMeta = {},
    ): Promise<Merchant> {
      authorize(principal, 'merchants:manage');
      return insertMerchant(input, actorOf(principal), meta);
    },

    /** For the CLI, which acts as the system rather than a signed-in user. */
    createAsSystem(input: { name: string }): Promise<Merchant> {
      return insertMerchant(input, { type: 'system', id: null }, {});
    },

    async list(principal: Principal): Promise<Merchant[]> {
      authorize(principal, 'merchants:read');
      let q = deps.db.selectFrom('merchants').selectAll().orderBy('created_at').orderBy('id');
      if (principal.merchantId !== null) q = q.where('id', '=', principal.merchantId);
      return (await q.execute()).map(toMerchant);
    },

    async get(principal: Principal, id: string): Promise<Merchant> {
      authorize(principal, 'merchants:read');
      const row = await deps.db
        .selectFrom('merchants')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row || !canSeeMerchant(principal, row.id))
        throw new AppError('MERCHANT_NOT_FOUND', 'not_found', 'Merchant not found');
      return toMerchant(row);
    },

    /** True when the merchant exists; used before a platform admin writes rows for it. */
    async assertExists(id: string): Promise<void> {
      const row = await deps.db
        .selectFrom('merchants')
        .select('id')
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) throw new AppError('MERCHANT_NOT_FOUND', 'not_found', 'Merchant not found');
    },
  };
}

export type MerchantService = ReturnType<typeof createMerchantService>;
