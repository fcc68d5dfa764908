export {
  connectStore,
  redactDatabaseUrl,
  type Store,
  type DialectName,
  type ConnectOptions,
} from './connect.js';
export { migrateToLatest, isSchemaCurrent, type MigrationReport } from './migrate.js';
export type * from './schema.js';
