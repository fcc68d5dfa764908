import { Command, Option } from 'commander';
import { ROLES, type Role } from '../auth/index.js';
import { loadConfig, type ConfigFlags } from '../config/index.js';
import { AppError, exitCodeOf, isAppError } from '../kernel/index.js';
import { startRuntime } from '../runtime/index.js';
import { connectStore, migrateToLatest, redactDatabaseUrl } from '../store/index.js';
import { rotateMasterKey } from '../vault/index.js';
import { systemClock } from '../kernel/index.js';
import { registerAnalyzeCommand } from './analyze.js';
import { registerRegionsCommands } from './regions.js';
import { serve } from './serve.js';
import { packageVersion } from './version.js';

interface CommonFlags {
  databaseUrl?: string;
  dataDir?: string;
}

function configFrom(flags: CommonFlags & { host?: string; port?: string }) {
  const overrides: ConfigFlags = {
    DATABASE_URL: flags.databaseUrl,
    ANXIN_DATA_DIR: flags.dataDir,
    HOST: flags.host,
    PORT: flags.port,
  };
  return loadConfig(undefined, overrides);
}

function withCommonOptions(command: Command): Command {
  return command
    .option('--database-url <url>', 'sqlite:./data/anxin.db or postgres://… (env DATABASE_URL)')
    .option('--data-dir <dir>', 'where SQLite, the key file and media live (env ANXIN_DATA_DIR)');
}

/** Prints one line and picks the exit code from the error kind; unknown errors print their message only, never a stack. */
function fail(error: unknown): never {
  if (isAppError(error)) {
    process.stderr.write(`anxin: ${error.message} [${error.code}]\n`);
    process.exit(exitCodeOf(error.kind));
  }
  process.stderr.write(`anxin: unexpected error: ${(error as Error).message ?? String(error)}\n`);
  process.exit(1);
}

export function buildCli(): Command {
  const program = new Command('anxin')
    .description(
      'anxin (安心): after-sales service desk — repairs and evidence-checked refund claims',
    )
    .version(packageVersion(), '-v, --version')
    .showHelpAfterError();

  withCommonOptions(program.command('serve'))
    .description('run the API and the console (migrates the database first)')
    .option('--host <host>', 'interface to listen on (env HOST, default 127.0.0.1)')
    .option('--port <port>', 'port to listen on (env PORT, default 8080)')
    .action(async (flags: CommonFlags & { host?: string; port?: string }) => {
      await serve(configFrom(flags));
    });

  withCommonOptions(program.command('migrate'))
    .description('apply pending database migrations and exit')
    .action(async (flags: CommonFlags) => {
      const config = configFrom(flags);
      const store = await connectStore(
        config.databaseUrl,
        config.databaseSchema ? { schema: config.databaseSchema } : {},
      );
      try {
        const report = await migrateToLatest(store);
        process.stdout.write(
          `${redactDatabaseUrl(config.databaseUrl)}: ${report.applied.length ? `applied ${report.applied.join(', ')}` : 'already up to date'} (at ${report.current})\n`,
        );
      } finally {
        await store.close();
      }
    });

  const users = program.command('users').description('manage console accounts');
  withCommonOptions(users.command('create'))
    .description('create a user and print a one-time password')
    .requiredOption('--username <name>', 'sign-in name (a-z, 0-9, . _ -)')
    .addOption(new Option('--role <role>', 'role').choices([...ROLES]).makeOptionMandatory())
    .option('--display-name <name>', 'name shown in the console')
    .option('--merchant <id>', 'merchant id (every role but platform_admin)')
    .action(
      async (
        flags: CommonFlags & {
          username: string;
          role: Role;
          displayName?: string;
          merchant?: string;
        },
      ) => {
        const runtime = await startRuntime(configFrom(flags), { skipFirstAdmin: true });
        try {
          const created = await runtime.services.users.createAsSystem({
            username: flags.username,
            displayName: flags.displayName ?? flags.username,
            role: flags.role,
            merchantId: flags.merchant ?? null,
          });
          process.stdout.write(
            `created ${created.user.role} ${created.user.username} (${created.user.id})\none-time password: ${created.oneTimePassword}\n`,
          );
        } finally {
          await runtime.close();
        }
      },
    );

  const merchants = program.command('merchants').description('manage merchants');
  withCommonOptions(merchants.command('create'))
    .description('create a merchant and print its id')
    .requiredOption('--name <name>', 'merchant name')
    .action(async (flags: CommonFlags & { name: string }) => {
      const runtime = await startRuntime(configFrom(flags), { skipFirstAdmin: true });
      try {
        const merchant = await runtime.services.merchants.createAsSystem({ name: flags.name });
        process.stdout.write(`${merchant.id}\n`);
      } finally {
        await runtime.close();
      }
    });

  const keys = program.command('keys').description('manage the vault master key');
  withCommonOptions(keys.command('rotate'))
    .description(
      're-wrap every data key under a new master key (safe while the service runs; resumable)',
    )
    .option('--batch-size <n>', 'data keys per transaction', '500')
    .action(async (flags: CommonFlags & { batchSize: string }) => {
      const batchSize = Number(flags.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1)
        throw new AppError(
          'CLI_OPTION_INVALID',
          'invalid',
          '--batch-size must be a positive whole number',
        );
      const runtime = await startRuntime(configFrom(flags), { skipFirstAdmin: true });
      try {
        const result = await rotateMasterKey({
          db: runtime.store.db,
          keyring: runtime.keyring,
          clock: systemClock,
          batchSize,
          onProgress: (p) =>
            process.stderr.write(`\rre-wrapped ${p.rewrapped}, ${p.remaining} left`),
        });
        process.stderr.write('\n');
        process.stdout.write(
          `${result.resumed ? 'resumed and completed' : 'completed'}: ${result.rewrapped} data keys now under ${result.newKeyId}; retired ${result.retiredKeyIds.join(', ') || 'none'}\n`,
        );
        if (runtime.keyring.source === 'env') {
          process.stdout.write('Remove the old key from ANXIN_MASTER_KEY at your next restart.\n');
        }
      } finally {
        await runtime.close();
      }
    });

  registerAnalyzeCommand(program);
  registerRegionsCommands(program);
  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (error) {
    fail(error);
  }
}
