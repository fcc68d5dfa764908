import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../connect.js';
import { columnTypes, type AnxinMigration } from './types.js';

/** Merchants, accounts, sessions, API keys, the audit trail, the vault and customers. */
export const foundation: AnxinMigration = {
  async up(db: Kysely<unknown>, dialect: DialectName) {
    const t = columnTypes(dialect);

    await db.schema
      .createTable('merchants')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('merchant_id', 'text', (c) => c.references('merchants.id'))
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('failed_sign_ins', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('locked_until', t.instant)
      .addColumn('last_sign_in_at', t.instant)
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .addColumn('updated_at', t.instant, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('users_merchant_idx').on('users').column('merchant_id').execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .addColumn('expires_at', t.instant, (c) => c.notNull())
      .addColumn('last_seen_at', t.instant, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .addColumn('last_used_at', t.instant)
      .addColumn('revoked_at', t.instant)
      .execute();
    await db.schema
      .createIndex('api_keys_merchant_idx')
      .on('api_keys')
      .column('merchant_id')
      .execute();

    await db.schema
      .createTable('audit_events')
      .addColumn('seq', t.serial, (c) =>
        dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
      )
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('merchant_id', 'text')
      .addColumn('actor_type', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('subject_type', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text')
      .addColumn('reason', 'text')
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('request_id', 'text')
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('audit_events_merchant_idx')
      .on('audit_events')
      .columns(['merchant_id', 'seq'])
      .execute();
    await makeAppendOnly(db, dialect, 'audit_events');

    await db.schema
      .createTable('vault_master_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('check_value', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .addColumn('retired_at', t.instant)
      .execute();

    await db.schema
      .createTable('vault_data_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('merchant_id', 'text')
      .addColumn('master_key_id', 'text', (c) => c.notNull().references('vault_master_keys.id'))
      .addColumn('wrapped_key', 'text', (c) => c.notNull())
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .addColumn('rewrapped_at', t.instant)
      .execute();
    await db.schema
      .createIndex('vault_data_keys_master_idx')
      .on('vault_data_keys')
      .column('master_key_id')
      .execute();

    await db.schema
      .createTable('vault_index_keys')
      .addColumn('purpose', 'text', (c) => c.primaryKey())
      .addColumn('master_key_id', 'text', (c) => c.notNull().references('vault_master_keys.id'))
      .addColumn('wrapped_key', 'text', (c) => c.notNull())
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('customers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
      .addColumn('data_key_id', 'text', (c) => c.notNull().references('vault_data_keys.id'))
      .addColumn('name_enc', 'text', (c) => c.notNull())
      .addColumn('phone_enc', 'text', (c) => c.notNull())
      .addColumn('address_enc', 'text')
      .addColumn('id_number_enc', 'text')
      .addColumn('phone_index', 'text', (c) => c.notNull())
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .addColumn('updated_at', t.instant, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('customers_phone_idx')
      .on('customers')
      .columns(['merchant_id', 'phone_index'])
      .execute();
  },
};

/** Refuses UPDATE and DELETE at the database level, so no code path can rewrite history. */
async function makeAppendOnly(db: Kysely<unknown>, dialect: DialectName, table: string) {
  if (dialect === 'sqlite') {
    for (const op of ['UPDATE', 'DELETE']) {
      await sql
        .raw(
          `CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
        )
        .execute(db);
    }
    return;
  }
  await sql
    .raw(
      `CREATE OR REPLACE FUNCTION anxin_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION anxin_append_only()`,
    )
    .execute(db);
}
