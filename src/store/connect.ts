import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  sql,
  type DatabaseConnection,
  type Driver,
  type LogEvent,
} from 'kysely';
import pg from 'pg';
import { AppError } from '../kernel/index.js';
import type { Database } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  /** The PostgreSQL schema anxin's tables live in, when one was configured. */
  readonly schema: string | undefined;
  /** Runs a trivial query; throws STORE_UNAVAILABLE when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** PostgreSQL schema to use (tests isolate themselves in one); created if missing. */
  schema?: string;
  poolSize?: number;
  onQueryError?: (event: LogEvent) => void;
}

/** Removes the password from a database URL so it can appear in messages. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@');
}

const TIMESTAMPTZ_OID = 1184;
const TIMESTAMP_OID = 1114;
const INT8_OID = 20;

// Parsers are per pool rather than global so other pg users in the process are unaffected.
function pgTypeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === TIMESTAMPTZ_OID || oid === TIMESTAMP_OID) {
    return (value) => new Date(value).toISOString();
  }
  if (oid === INT8_OID) return (value) => Number(value);
  return pg.types.getTypeParser(oid, format as 'text') as (value: string) => unknown;
}

export async function connectStore(
  databaseUrl: string,
  options: ConnectOptions = {},
): Promise<Store> {
  const store = databaseUrl.startsWith('sqlite:')
    ? connectSqlite(databaseUrl.slice('sqlite:'.length))
    : connectPostgres(databaseUrl, options);
  try {
    // Ping first: it is what turns "cannot connect" into STORE_UNAVAILABLE.
    await store.ping();
    if (options.schema && store.dialect === 'postgres') {
      await sql`create schema if not exists ${sql.id(options.schema)}`.execute(store.db);
    }
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}

/**
 * SQLite transactions start with BEGIN IMMEDIATE: a deferred transaction that
 * reads and then writes fails at once with SQLITE_BUSY when another process
 * (the CLI rotating keys, a second server) wrote in between; taking the
 * write lock up front makes it wait its turn under busy_timeout instead.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly database: SQLite.Database) {
    super({ database });
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.database });
  }
}

function connectSqlite(file: string): Store {
  const isMemory = file === ':memory:' || file === '';
  if (!isMemory) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let database: SQLite.Database;
  try {
    database = new SQLite(isMemory ? ':memory:' : file);
  } catch (error) {
    throw new AppError(
      'STORE_UNAVAILABLE',
      'unavailable',
      `Cannot open the SQLite database at ${file}: ${(error as Error).message}`,
    );
  }
  database.pragma('journal_mode = WAL');
  // FULL: a ticket or an evidence record is on disk before we acknowledge it.
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect(database) });
  return {
    db,
    dialect: 'sqlite',
    schema: undefined,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

function connectPostgres(databaseUrl: string, options: ConnectOptions): Store {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
    types: { getTypeParser: pgTypeParser as typeof pg.types.getTypeParser },
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client losing its connection must not crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    schema: options.schema,
    ping: async () => {
      try {
        await sql`select 1`.execute(db);
      } catch (error) {
        throw new AppError(
          'STORE_UNAVAILABLE',
          'unavailable',
          `Cannot reach the database at ${redactDatabaseUrl(databaseUrl)}: ${(error as Error).message || (error as { code?: string }).code || 'connection failed'}`,
        );
      }
    },
    close: () => db.destroy(),
  };
}
