import { AppError, randomToken } from '../kernel/index.js';
import { actorOf } from './actor.js';
import type { AuthDeps, RequestMeta } from './deps.js';
import type { ApiKeyScope, ApiKeySummary, Principal } from './model.js';
import { toApiKey } from './rows.js';
import { authorize, canSeeMerchant, merchantFilter, merchantScope } from './rules.js';
import { hashSecret } from './sessions.js';

export interface CreatedApiKey {
  apiKey: ApiKeySummary;
  /** The full key, shown exactly once; only its hash is stored. */
  secret: string;
}

const KEY_PATTERN = /^axk_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export function createApiKeyService(deps: AuthDeps) {
  return {
    async create(
      principal: Principal,
      input: { name: string; scopes: ApiKeyScope[]; merchantId?: string },
      meta: RequestMeta = {},
    ): Promise<CreatedApiKey> {
      authorize(principal, 'api_keys:manage');
      const merchantId = merchantScope(principal, input.merchantId);
      const merchant = await deps.db
        .selectFrom('merchants')
        .select('id')
        .where('id', '=', merchantId)
        .executeTakeFirst();
      if (!merchant) throw new AppError('MERCHANT_NOT_FOUND', 'not_found', 'Merchant not found');
      const prefix = randomToken(6).replace(/[-_]/g, 'x').slice(0, 8);
      const secret = `axk_${prefix}_${randomToken(32)}`;
      const row = {
        id: deps.ids(),
        merchant_id: merchantId,
        name: input.name.trim(),
        prefix,
        secret_hash: hashSecret(secret),
        scopes: JSON.stringify([...new Set(input.scopes)].sort()),
        created_by: principal.kind === 'user' ? principal.userId : principal.apiKeyId,
        created_at: deps.clock.now().toISOString(),
        last_used_at: null,
        revoked_at: null,
      };
      await deps.db.transaction().execute(async (trx) => {
        await trx.insertInto('api_keys').values(row).execute();
        await deps.audit.record(trx, {
          merchantId,
          actor: actorOf(principal),
          action: 'api_key.created',
          subjectType: 'api_key',
          subjectId: row.id,
          details: { scopes: JSON.parse(row.scopes) as unknown },
          requestId: meta.requestId ?? null,
        });
      });
      return { apiKey: toApiKey(row), secret };
    },

    async list(principal: Principal, query: { merchantId?: string }): Promise<ApiKeySummary[]> {
      authorize(principal, 'api_keys:manage');
      const merchantId = merchantFilter(principal, query.merchantId);
      let q = deps.db.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('id');
      if (merchantId !== null) q = q.where('merchant_id', '=', merchantId);
      return (await q.execute()).map(toApiKey);
    },

    async revoke(principal: Principal, id: string, meta: RequestMeta = {}): Promise<ApiKeySummary> {
      authorize(principal, 'api_keys:manage');
      const row = await deps.db
        .selectFrom('api_keys')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row || !canSeeMerchant(principal, row.merchant_id))
        throw new AppError('API_KEY_NOT_FOUND', 'not_found', 'API key not found');
      if (row.revoked_at) return toApiKey(row);
      const now = deps.clock.now().toISOString();
      await deps.db.transaction().execute(async (trx) => {
        await trx.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).execute();
        await deps.audit.record(trx, {
          merchantId: row.merchant_id,
          actor: actorOf(principal),
          action: 'api_key.revoked',
          subjectType: 'api_key',
          subjectId: id,
          requestId: meta.requestId ?? null,
        });
      });
      return toApiKey({ ...row, revoked_at: now });
    },

    /** The principal for a bearer key, or null for a malformed, unknown or revoked key. */
    async authenticate(secret: string): Promise<Principal | null> {
      if (!KEY_PATTERN.test(secret)) return null;
      const row = await deps.db
        .selectFrom('api_keys')
        .innerJoin('merchants', 'merchants.id', 'api_keys.merchant_id')
        .select([
          'api_keys.id',
          'api_keys.merchant_id',
          'api_keys.scopes',
          'api_keys.revoked_at',
          'api_keys.last_used_at',
          'merchants.status',
        ])
        .where('api_keys.secret_hash', '=', hashSecret(secret))
        .executeTakeFirst();
      if (!row || row.revoked_at !== null || row.status !== 'active') return null;
      const now = deps.clock.now();
      if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > 60_000) {
        await deps.db
          .updateTable('api_keys')
          .set({ last_used_at: now.toISOString() })
          .where('id', '=', row.id)
          .execute();
      }
      return {
        kind: 'api_key',
        apiKeyId: row.id,
        merchantId: row.merchant_id,
        scopes: JSON.parse(row.scopes) as ApiKeyScope[],
      };
    },
  };
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;
