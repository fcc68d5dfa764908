import { sql } from 'kysely';
import { createAuditTrail } from '../audit/index.js';
import {
  createApiKeyService,
  createMerchantService,
  createSessionService,
  createUserService,
  type CreatedUser,
} from '../auth/index.js';
import type { Config } from '../config/index.js';
import { createCustomerService } from '../customers/index.js';
import { systemClock, uuid, type Clock, type IdGenerator } from '../kernel/index.js';
import { connectStore, migrateToLatest, type ConnectOptions, type Store } from '../store/index.js';
import { createVault, openKeyring, type Keyring, type Vault } from '../vault/index.js';
import { createPgBossQueue, createSqliteQueue, type JobQueue } from '../jobs/index.js';
import type { Services } from './services.js';
import { registerJobHandlers } from './job-handlers.js';

export interface Runtime {
  config: Config;
  store: Store;
  keyring: Keyring;
  vault: Vault;
  services: Services;
  /** Durable jobs: in-process over SQLite, pg-boss over PostgreSQL. Started by `serve`. */
  jobs: JobQueue;
  /** Set on the very first start: the platform admin and their one-time password. */
  firstAdmin: CreatedUser | null;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  clock?: Clock;
  ids?: IdGenerator;
  connect?: ConnectOptions;
  /** Skip creating the first platform admin (the CLI's maintenance commands). */
  skipFirstAdmin?: boolean;
}

/**
 * The composition root: connects the store, brings the schema up to date,
 * opens the vault (refusing a wrong master key before anything is written)
 * and wires every service to its ports.
 */
export async function startRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? uuid;
  const store = await connectStore(config.databaseUrl, {
    ...(config.databaseSchema ? { schema: config.databaseSchema } : {}),
    ...options.connect,
  });
  try {
    await migrateToLatest(store);
    const keyCount = await store.db
      .selectFrom('vault_master_keys')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    const { keyring } = openKeyring({
      masterKey: config.masterKey,
      masterKeyFile: config.masterKeyFile,
      databaseHasKeys: Number(keyCount.n) > 0,
    });
    const vault = createVault({ db: store.db, dialect: store.dialect, keyring, clock, ids });
    await vault.initialize();

    const db = store.db;
    const audit = createAuditTrail({ db, clock, ids });
    const authDeps = { db, audit, clock, ids };
    const services: Services = {
      audit,
      merchants: createMerchantService(authDeps),
      users: createUserService(authDeps),
      sessions: createSessionService(authDeps, config),
      apiKeys: createApiKeyService(authDeps),
      customers: createCustomerService({ db, vault, audit, clock, ids }),
    };
    const jobs =
      store.dialect === 'sqlite'
        ? createSqliteQueue({ db, clock })
        : createPgBossQueue({
            connectionString: config.databaseUrl,
            schema: `${config.databaseSchema ?? 'anxin'}_jobs`,
          });
    registerJobHandlers(jobs, services);
    const firstAdmin = options.skipFirstAdmin ? null : await services.users.ensureFirstAdmin();
    return {
      config,
      store,
      keyring,
      vault,
      services,
      jobs,
      firstAdmin,
      close: async () => {
        await jobs.stop();
        await store.close();
      },
    };
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
}
