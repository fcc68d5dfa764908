import type { Kysely, Selectable } from 'kysely';
import type { AuditTrail } from '../audit/index.js';
import {
  actorOf,
  authorize,
  canSeeMerchant,
  merchantScope,
  type Principal,
  type RequestMeta,
} from '../auth/index.js';
import { AppError, type Clock, type IdGenerator } from '../kernel/index.js';
import type { CustomersTable, Database } from '../store/index.js';
import {
  isPlausiblePhone,
  maskAddress,
  maskIdNumber,
  maskName,
  maskPhone,
  type PersonalData,
  type SealedRecord,
  type Vault,
} from '../vault/index.js';
import type { CustomerInput, CustomerView, RevealableField } from './model.js';

function sealedOf(row: Selectable<CustomersTable>): SealedRecord {
  return {
    dataKeyId: row.data_key_id,
    fields: {
      name: row.name_enc,
      phone: row.phone_enc,
      ...(row.address_enc ? { address: row.address_enc } : {}),
      ...(row.id_number_enc ? { idNumber: row.id_number_enc } : {}),
    },
  };
}

function masked(row: Selectable<CustomersTable>, data: PersonalData): CustomerView {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    name: maskName(data.name ?? ''),
    phone: maskPhone(data.phone ?? ''),
    address: data.address ? maskAddress(data.address) : null,
    idNumber: data.idNumber ? maskIdNumber(data.idNumber) : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Customers' personal data: sealed by the vault on the way in, masked on the
 * way out, plaintext only through an audited reveal with a reason.
 */
export function createCustomerService(deps: {
  db: Kysely<Database>;
  vault: Vault;
  audit: AuditTrail;
  clock: Clock;
  ids: IdGenerator;
}) {
  const { db, vault, audit } = deps;

  async function findVisible(principal: Principal, id: string) {
    const row = await db
      .selectFrom('customers')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || !canSeeMerchant(principal, row.merchant_id))
      throw new AppError('CUSTOMER_NOT_FOUND', 'not_found', 'Customer not found');
    return row;
  }

  return {
    async create(
      principal: Principal,
      input: CustomerInput & { merchantId?: string },
      meta: RequestMeta = {},
    ): Promise<CustomerView> {
      authorize(principal, 'customers:write');
      const merchantId = merchantScope(principal, input.merchantId);
      if (!isPlausiblePhone(input.phone))
        throw new AppError('CUSTOMER_PHONE_INVALID', 'invalid', 'That is not a phone number');
      const now = deps.clock.now().toISOString();
      const id = deps.ids();
      const data: PersonalData = { name: input.name.trim(), phone: input.phone.trim() };
      if (input.address) data.address = input.address.trim();
      if (input.idNumber) data.idNumber = input.idNumber.trim();
      const row = await db.transaction().execute(async (trx) => {
        const merchant = await trx
          .selectFrom('merchants')
          .select('id')
          .where('id', '=', merchantId)
          .executeTakeFirst();
        if (!merchant) throw new AppError('MERCHANT_NOT_FOUND', 'not_found', 'Merchant not found');
        const sealed = await vault.seal(trx, { merchantId, recordId: id, data });
        const values = {
          id,
          merchant_id: merchantId,
          data_key_id: sealed.dataKeyId,
          name_enc: sealed.fields.name ?? '',
          phone_enc: sealed.fields.phone ?? '',
          address_enc: sealed.fields.address ?? null,
          id_number_enc: sealed.fields.idNumber ?? null,
          phone_index: await vault.phoneIndex(trx, input.phone),
          created_at: now,
          updated_at: now,
        };
        await trx.insertInto('customers').values(values).execute();
        await audit.record(trx, {
          merchantId,
          actor: actorOf(principal),
          action: 'customer.created',
          subjectType: 'customer',
          subjectId: id,
          requestId: meta.requestId ?? null,
        });
        return values;
      });
      return masked(row, data);
    },

    async get(principal: Principal, id: string): Promise<CustomerView> {
      authorize(principal, 'customers:read');
      const row = await findVisible(principal, id);
      return masked(row, await vault.open(db, { recordId: row.id, sealed: sealedOf(row) }));
    },

    /** Exact lookup by phone number through the blind index; nothing is decrypted to search. */
    async findByPhone(
      principal: Principal,
      input: { phone: string; merchantId?: string },
    ): Promise<CustomerView[]> {
      authorize(principal, 'customers:read');
      const merchantId = merchantScope(principal, input.merchantId);
      const index = await vault.phoneIndex(db, input.phone);
      const rows = await db
        .selectFrom('customers')
        .selectAll()
        .where('merchant_id', '=', merchantId)
        .where('phone_index', '=', index)
        .orderBy('created_at')
        .limit(50)
        .execute();
      return Promise.all(
        rows.map(async (row) =>
          masked(row, await vault.open(db, { recordId: row.id, sealed: sealedOf(row) })),
        ),
      );
    },

    async list(
      principal: Principal,
      input: { merchantId?: string; limit: number; after?: string },
    ): Promise<CustomerView[]> {
      authorize(principal, 'customers:read');
      const merchantId = merchantScope(principal, input.merchantId);
      let q = db
        .selectFrom('customers')
        .selectAll()
        .where('merchant_id', '=', merchantId)
        .orderBy('id')
        .limit(input.limit);
      if (input.after) q = q.where('id', '>', input.after);
      const rows = await q.execute();
      return Promise.all(
        rows.map(async (row) =>
          masked(row, await vault.open(db, { recordId: row.id, sealed: sealedOf(row) })),
        ),
      );
    },

    /** Plaintext for a stated reason; the reveal is on the audit trail before the answer leaves. */
    async reveal(
      principal: Principal,
      id: string,
      input: { fields: RevealableField[]; reason: string },
      meta: RequestMeta = {},
    ): Promise<Partial<Record<RevealableField, string | null>>> {
      authorize(principal, 'customers:reveal');
      const row = await findVisible(principal, id);
      const data = await vault.open(db, { recordId: row.id, sealed: sealedOf(row) });
      await audit.record(db, {
        merchantId: row.merchant_id,
        actor: actorOf(principal),
        action: 'customer.revealed',
        subjectType: 'customer',
        subjectId: row.id,
        reason: input.reason.trim(),
        details: { fields: input.fields },
        requestId: meta.requestId ?? null,
      });
      const out: Partial<Record<RevealableField, string | null>> = {};
      for (const field of new Set(input.fields)) out[field] = data[field] ?? null;
      return out;
    },
  };
}

export type CustomerService = ReturnType<typeof createCustomerService>;
