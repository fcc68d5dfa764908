import type { Kysely, Transaction } from 'kysely';
import { AppError, type Clock, type IdGenerator } from '../kernel/index.js';
import type { Database, DialectName } from '../store/index.js';
import {
  decryptValue,
  encryptValue,
  generateKey,
  hmacHex,
  makeCheckValue,
  verifyCheckValue,
} from './crypto.js';
import type { Keyring, MasterKey } from './keyring.js';
import { normalizeIdNumber, normalizePhone } from './normalize.js';

export type Executor = Kysely<Database> | Transaction<Database>;

/** The personal fields anxin keeps; every one of them is encrypted at rest. */
export type PersonalField = 'name' | 'phone' | 'address' | 'idNumber';
export type PersonalData = Partial<Record<PersonalField, string>>;
export type SealedFields = Partial<Record<PersonalField, string>>;

export interface SealedRecord {
  dataKeyId: string;
  fields: SealedFields;
}

export interface Vault {
  /** Checks the keyring against the database; refuses a wrong key before anything is written. */
  initialize(): Promise<void>;
  /** Encrypts a record's personal fields under a new data key, created inside `executor`'s transaction. */
  seal(
    executor: Executor,
    input: { merchantId: string | null; recordId: string; data: PersonalData },
  ): Promise<SealedRecord>;
  /** Decrypts fields sealed by `seal` for the same record. */
  open(
    executor: Executor,
    input: { recordId: string; sealed: SealedRecord },
  ): Promise<PersonalData>;
  /** Keyed blind index of a phone number: equal numbers give equal values, the value reveals nothing. */
  phoneIndex(executor: Executor, phone: string): Promise<string>;
  idNumberIndex(executor: Executor, idNumber: string): Promise<string>;
  /** Forgets cached keys (after rotation, in tests). */
  clearCache(): void;
}

const INDEX_PURPOSE = 'blind-index';
const DEK_CACHE_LIMIT = 10_000;

function wrapAad(dataKeyId: string) {
  return `data-key:${dataKeyId}`;
}
function fieldAad(recordId: string, field: PersonalField) {
  return `record:${recordId}:${field}`;
}
export function indexKeyAad(purpose: string) {
  return `index-key:${purpose}`;
}
export function dataKeyAad(dataKeyId: string) {
  return wrapAad(dataKeyId);
}

export function createVault(deps: {
  db: Kysely<Database>;
  dialect: DialectName;
  keyring: Keyring;
  clock: Clock;
  ids: IdGenerator;
}): Vault {
  const { db, dialect, keyring, clock, ids } = deps;
  const instantType = dialect === 'postgres' ? 'timestamptz' : 'text';
  const dataKeys = new Map<string, Buffer>();
  let indexKey: Buffer | undefined;

  function masterKey(id: string): MasterKey {
    let key = keyring.find(id);
    if (!key) {
      try {
        keyring.reload();
      } catch {
        // A key file that became unreadable is a server fault, not the caller's.
        throw new AppError(
          'VAULT_MASTER_KEY_MISSING',
          'unavailable',
          `Master key ${id} is not available`,
        );
      }
      key = keyring.find(id);
    }
    if (!key) {
      throw new AppError(
        'VAULT_MASTER_KEY_MISSING',
        'unavailable',
        `Master key ${id} is not in the keyring`,
      );
    }
    return key;
  }

  async function activeMasterId(executor: Executor): Promise<string> {
    const row = await executor
      .selectFrom('vault_master_keys')
      .select('id')
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (!row)
      throw new AppError(
        'VAULT_NOT_INITIALIZED',
        'unavailable',
        'The vault has no active master key',
      );
    return row.id;
  }

  async function loadIndexKey(executor: Executor): Promise<Buffer> {
    if (indexKey) return indexKey;
    const row = await executor
      .selectFrom('vault_index_keys')
      .selectAll()
      .where('purpose', '=', INDEX_PURPOSE)
      .executeTakeFirst();
    if (!row)
      throw new AppError(
        'VAULT_NOT_INITIALIZED',
        'unavailable',
        'The vault has no blind-index key',
      );
    indexKey = decryptValue(
      masterKey(row.master_key_id).key,
      row.wrapped_key,
      indexKeyAad(INDEX_PURPOSE),
    );
    return indexKey;
  }

  async function loadDataKey(executor: Executor, dataKeyId: string): Promise<Buffer> {
    const cached = dataKeys.get(dataKeyId);
    if (cached) return cached;
    const row = await executor
      .selectFrom('vault_data_keys')
      .select(['master_key_id', 'wrapped_key'])
      .where('id', '=', dataKeyId)
      .executeTakeFirst();
    if (!row)
      throw new AppError('VAULT_DATA_KEY_MISSING', 'internal', `Data key ${dataKeyId} is missing`);
    const key = decryptValue(masterKey(row.master_key_id).key, row.wrapped_key, wrapAad(dataKeyId));
    if (dataKeys.size >= DEK_CACHE_LIMIT) dataKeys.delete(dataKeys.keys().next().value as string);
    dataKeys.set(dataKeyId, key);
    return key;
  }

  /**
   * Inserts a new wrapped data key only while its master key is still active,
   * so a rotation that has begun can never be left with keys under the old one.
   */
  async function insertDataKey(
    executor: Executor,
    merchantId: string | null,
  ): Promise<{ id: string; key: Buffer }> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const masterId = await activeMasterId(executor);
      const master = masterKey(masterId);
      const id = ids();
      const key = generateKey();
      const now = clock.now().toISOString();
      const result = await executor
        .insertInto('vault_data_keys')
        .columns(['id', 'merchant_id', 'master_key_id', 'wrapped_key', 'created_at'])
        .expression((eb) =>
          eb
            .selectFrom('vault_master_keys')
            .select([
              eb.val(id).as('id'),
              eb.val(merchantId).as('merchant_id'),
              eb.val(masterId).as('master_key_id'),
              eb.val(encryptValue(master.key, key, wrapAad(id))).as('wrapped_key'),
              eb.cast(eb.val(now), instantType).as('created_at'),
            ])
            .where('id', '=', masterId)
            .where('status', '=', 'active')
            // On PostgreSQL the share lock makes a rotation that flips this key wait for us,
            // so every key it must re-wrap is visible to it.
            .$if(dialect === 'postgres', (qb) => qb.forShare()),
        )
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 1) return { id, key };
    }
    throw new AppError('VAULT_BUSY', 'unavailable', 'The master key changed repeatedly; try again');
  }

  return {
    async initialize() {
      const rows = await db
        .selectFrom('vault_master_keys')
        .selectAll()
        .where('status', '!=', 'retired')
        .execute();
      if (rows.length === 0) {
        const first = keyring.keys()[0];
        if (!first)
          throw new AppError(
            'VAULT_MASTER_KEY_MISSING',
            'unavailable',
            'No master key is configured',
          );
        const now = clock.now().toISOString();
        await db.transaction().execute(async (trx) => {
          await trx
            .insertInto('vault_master_keys')
            .values({
              id: first.id,
              check_value: makeCheckValue(first.key, first.id),
              status: 'active',
              created_at: now,
              retired_at: null,
            })
            .execute();
          await trx
            .insertInto('vault_index_keys')
            .values({
              purpose: INDEX_PURPOSE,
              master_key_id: first.id,
              wrapped_key: encryptValue(first.key, generateKey(), indexKeyAad(INDEX_PURPOSE)),
              created_at: now,
            })
            .execute();
        });
        return;
      }
      for (const row of rows) {
        const key = keyring.find(row.id);
        if (!key || !verifyCheckValue(key.key, row.id, row.check_value)) {
          throw new AppError(
            'VAULT_MASTER_KEY_MISMATCH',
            'unavailable',
            `The configured master key does not match this database (it needs key ${row.id}); refusing to start so nothing is written under the wrong key`,
          );
        }
      }
    },

    async seal(executor, { merchantId, recordId, data }) {
      const dek = await insertDataKey(executor, merchantId);
      dataKeys.set(dek.id, dek.key);
      const fields: SealedFields = {};
      for (const [field, value] of Object.entries(data) as [PersonalField, string | undefined][]) {
        if (value !== undefined)
          fields[field] = encryptValue(dek.key, value, fieldAad(recordId, field));
      }
      return { dataKeyId: dek.id, fields };
    },

    async open(executor, { recordId, sealed }) {
      const key = await loadDataKey(executor, sealed.dataKeyId);
      const data: PersonalData = {};
      for (const [field, value] of Object.entries(sealed.fields) as [
        PersonalField,
        string | undefined,
      ][]) {
        if (value)
          data[field] = decryptValue(key, value, fieldAad(recordId, field)).toString('utf8');
      }
      return data;
    },

    async phoneIndex(executor, phone) {
      return hmacHex(await loadIndexKey(executor), `phone:${normalizePhone(phone)}`);
    },

    async idNumberIndex(executor, idNumber) {
      return hmacHex(await loadIndexKey(executor), `id-number:${normalizeIdNumber(idNumber)}`);
    },

    clearCache() {
      dataKeys.clear();
      indexKey = undefined;
    },
  };
}
