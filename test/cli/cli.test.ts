import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { buildCli } from '../../src/cli/main.js';
import { exitCodeOf } from '../../src/kernel/index.js';
import { connectStore, isSchemaCurrent } from '../../src/store/index.js';
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from '../support/dialects.js';
import { CliProcesses, freePort, isListening, linesOf } from './cli-process.js';

const cli = new CliProcesses();
const databases: TestDatabase[] = [];
const scratchDirs: string[] = [];

afterEach(async () => {
  await cli.killAll();
  for (const db of databases.splice(0)) await db.dispose();
  for (const dir of scratchDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A data directory for runs that must fail before they touch it. */
function scratchDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-cli-'));
  scratchDirs.push(dir);
  return dir;
}

async function freshDatabase(dialect: TestDatabase['dialect']): Promise<TestDatabase> {
  const db = await createTestDatabase(dialect);
  databases.push(db);
  return db;
}

function envFor(db: TestDatabase, env: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: db.databaseUrl,
    ANXIN_DATA_DIR: db.dataDir,
    // The console build is not what these tests are about; serve the API alone.
    ANXIN_WEB_DIR: path.join(db.dataDir, 'no-web'),
    ...(db.schema ? { DATABASE_SCHEMA: db.schema } : {}),
    ...env,
  };
}

const masterKey = () => randomBytes(32).toString('base64');

/** Help output with commander's line wrapping undone, so descriptions can be matched whole. */
const unwrapped = (text: string) => text.replace(/\s+/g, ' ');

function commandPaths(
  command: Command,
  prefix: string[] = [],
): { path: string[]; command: Command }[] {
  return [
    { path: prefix, command },
    ...command.commands.flatMap((sub) => commandPaths(sub, [...prefix, sub.name()])),
  ];
}

describe('anxin --version and --help', () => {
  const everyCommand = commandPaths(buildCli());

  it('prints the version from package.json', async () => {
    const pkg = JSON.parse(
      fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    for (const flag of ['--version', '-v']) {
      const result = await cli.run([flag], {});
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe(pkg.version);
    }
  });

  it('walks the whole command tree, so the help checks below reach every subcommand', () => {
    expect(everyCommand.map((c) => c.path.join(' '))).toEqual(
      expect.arrayContaining([
        '',
        'serve',
        'migrate',
        'users',
        'users create',
        'merchants',
        'merchants create',
        'keys',
        'keys rotate',
      ]),
    );
  });

  it.each(
    everyCommand.map((c) => [c.path.length ? c.path.join(' ') : '(the program)', c] as const),
  )(
    '--help on %s exits 0 and describes its options and subcommands',
    async (_name, { path: commandPath, command }) => {
      const result = await cli.run([...commandPath, '--help'], {});
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      const help = unwrapped(result.stdout);
      expect(help).toContain(`Usage: ${['anxin', ...commandPath].join(' ')}`);
      expect(help).toContain(unwrapped(command.description()));
      expect(help).toContain('-h, --help');
      for (const option of command.options) {
        expect(help).toContain(option.flags);
        expect(help).toContain(unwrapped(option.description));
      }
      for (const sub of command.commands) {
        expect(help).toContain(sub.name());
        expect(help).toContain(unwrapped(sub.description()));
      }
    },
  );
});

describe('anxin with an environment it cannot work with', () => {
  const password = 'pw-must-not-leak-7Qx';
  const unreachable = `postgres://postgres:${password}@127.0.0.1:1/x`;

  it.each(['serve', 'migrate'])(
    '%s against an unreachable PostgreSQL prints one STORE_UNAVAILABLE line without the password',
    async (command) => {
      const result = await cli.run([command], {
        DATABASE_URL: unreachable,
        ANXIN_DATA_DIR: scratchDir(),
      });
      expect(result.code).toBe(exitCodeOf('unavailable'));
      expect(linesOf(result.stderr)).toHaveLength(1);
      expect(result.stderr).toMatch(/^anxin: .*\[STORE_UNAVAILABLE\]\n$/);
      expect(result.stderr).toContain('postgres://postgres:***@127.0.0.1:1/x');
      expect(result.stdout + result.stderr).not.toContain(password);
    },
  );

  // The schema is created only after the ping, so this too is a clean STORE_UNAVAILABLE.
  it('migrate against an unreachable PostgreSQL with DATABASE_SCHEMA set also says STORE_UNAVAILABLE', async () => {
    const result = await cli.run(['migrate'], {
      DATABASE_URL: unreachable,
      DATABASE_SCHEMA: 'anxin',
      ANXIN_DATA_DIR: scratchDir(),
    });
    expect(result.stdout + result.stderr).not.toContain(password);
    expect(linesOf(result.stderr)).toHaveLength(1);
    expect(result.stderr).toContain('[STORE_UNAVAILABLE]');
    expect(result.code).toBe(exitCodeOf('unavailable'));
  });

  it('names every invalid variable at once in one CONFIG_INVALID line', async () => {
    const result = await cli.run(['serve'], {
      PORT: 'abc',
      DATABASE_URL: 'mysql://x',
      ANXIN_DATA_DIR: scratchDir(),
    });
    expect(result.code).toBe(exitCodeOf('invalid'));
    expect(linesOf(result.stderr)).toHaveLength(1);
    expect(result.stderr).toContain('[CONFIG_INVALID]');
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).toContain('DATABASE_URL');
    expect(result.stdout).toBe('');
  });
});

describe.each(dialectsUnderTest())('anxin migrate on %s', (dialect) => {
  it('applies every migration to a fresh database, then says it is up to date', async () => {
    const db = await freshDatabase(dialect);
    const first = await cli.run(['migrate'], envFor(db));
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied 0001-foundation, 0002-jobs \(at 0002-jobs\)/);

    const second = await cli.run(['migrate'], envFor(db));
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/already up to date \(at 0002-jobs\)/);

    // The tables went where the configuration says (on PostgreSQL: the test's own schema).
    const store = await connectStore(db.databaseUrl, db.schema ? { schema: db.schema } : {});
    try {
      expect(await isSchemaCurrent(store)).toBe(true);
    } finally {
      await store.close();
    }
  });
});

describe('anxin migrate flags', () => {
  it('lets --database-url override DATABASE_URL', async () => {
    const db = await freshDatabase('sqlite');
    const fromEnv = path.join(db.dataDir, 'from-env.db');
    const fromFlag = path.join(db.dataDir, 'from-flag.db');
    const result = await cli.run(
      ['migrate', '--database-url', `sqlite:${fromFlag}`],
      envFor(db, { DATABASE_URL: `sqlite:${fromEnv}` }),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`sqlite:${fromFlag}: applied 0001-foundation`);
    expect(fs.existsSync(fromFlag)).toBe(true);
    expect(fs.existsSync(fromEnv)).toBe(false);
  });
});

describe.each(dialectsUnderTest())('anxin users and merchants on %s', (dialect) => {
  it('refuses a merchant role without --merchant (MERCHANT_REQUIRED)', async () => {
    const db = await freshDatabase(dialect);
    const result = await cli.run(
      ['users', 'create', '--username', 'carol', '--role', 'agent'],
      envFor(db),
    );
    expect(result.code).toBe(exitCodeOf('invalid'));
    expect(linesOf(result.stderr)).toEqual([
      expect.stringMatching(/^anxin: .*\[MERCHANT_REQUIRED\]$/),
    ]);
    expect(result.stdout).toBe('');
  });

  it('creates a merchant, then an agent of it with a one-time password', async () => {
    const db = await freshDatabase(dialect);
    const merchant = await cli.run(['merchants', 'create', '--name', 'Lockco'], envFor(db));
    expect(merchant.stderr).toBe('');
    expect(merchant.code).toBe(0);
    const merchantId = merchant.stdout.trim();
    expect(merchantId).toMatch(/^[0-9a-f-]{36}$/);

    const created = await cli.run(
      ['users', 'create', '--username', 'carol', '--role', 'agent', '--merchant', merchantId],
      envFor(db),
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^created agent carol \([0-9a-f-]{36}\)\n/);
    expect(created.stdout).toMatch(/^one-time password: [A-Za-z0-9]{16}$/m);

    // The account was stored: the same username cannot be created twice.
    const again = await cli.run(
      ['users', 'create', '--username', 'carol', '--role', 'agent', '--merchant', merchantId],
      envFor(db),
    );
    expect(again.code).toBe(exitCodeOf('conflict'));
    expect(again.stderr).toContain('[USER_USERNAME_TAKEN]');
  });

  it('answers MERCHANT_NOT_FOUND for a merchant id that does not exist', async () => {
    const db = await freshDatabase(dialect);
    const result = await cli.run(
      [
        'users',
        'create',
        '--username',
        'carol',
        '--role',
        'agent',
        '--merchant',
        '00000000-0000-4000-8000-000000000000',
      ],
      envFor(db),
    );
    expect(result.code).toBe(exitCodeOf('not_found'));
    expect(result.stderr).toContain('[MERCHANT_NOT_FOUND]');
  });

  it('lets commander refuse a --role that is not a role', async () => {
    const db = await freshDatabase(dialect);
    const result = await cli.run(
      ['users', 'create', '--username', 'carol', '--role', 'king'],
      envFor(db),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("argument 'king' is invalid");
    expect(result.stderr).toContain('platform_admin');
    expect(result.stdout).toBe('');
  });
});

describe.each(dialectsUnderTest())('anxin serve on %s', (dialect) => {
  it('prints the first admin once, answers /healthz and /readyz, and stops cleanly on SIGTERM', async () => {
    const db = await freshDatabase(dialect);
    const port = await freePort();
    const env = envFor(db, { HOST: '127.0.0.1', PORT: String(port) });

    const first = cli.start(['serve'], env);
    const [, url] = await first.waitForStdout(/listening on (http:\/\/\S+)/);
    expect(url).toBe(`http://127.0.0.1:${port}`);
    expect(first.stdout()).toMatch(/^\s*│\s+username: admin$/m);
    expect(first.stdout()).toMatch(/^\s*│\s+password: [A-Za-z0-9]{16}$/m);

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: dialect });

    first.child.kill('SIGTERM');
    const stopped = await first.exited;
    expect(stopped).toMatchObject({ code: 0, signal: null });
    expect(stopped.stdout).toContain('SIGTERM received, stopping');
    expect(await isListening(port)).toBe(false);

    const second = cli.start(['serve'], env);
    await second.waitForStdout(/listening on http:\/\//);
    expect(second.stdout()).not.toContain('First start');
    expect(second.stdout()).not.toMatch(/password:/);
    second.child.kill('SIGTERM');
    expect(await second.exited).toMatchObject({ code: 0, signal: null });
  });

  it('refuses to start with a master key other than the one the vault was created with', async () => {
    const db = await freshDatabase(dialect);
    const keyA = masterKey();
    const keyB = masterKey();
    const initialised = await cli.run(
      ['merchants', 'create', '--name', 'Lockco'],
      envFor(db, { ANXIN_MASTER_KEY: keyA }),
    );
    expect(initialised.code).toBe(0);

    const port = await freePort();
    const result = await cli.run(
      ['serve'],
      envFor(db, { ANXIN_MASTER_KEY: keyB, HOST: '127.0.0.1', PORT: String(port) }),
    );
    expect(result.code).toBe(exitCodeOf('unavailable'));
    expect(linesOf(result.stderr)).toEqual([
      expect.stringMatching(/^anxin: .*\[VAULT_MASTER_KEY_MISMATCH\]$/),
    ]);
    expect(result.stdout).not.toContain('listening');
    expect(result.stdout + result.stderr).not.toContain(keyA);
    expect(result.stdout + result.stderr).not.toContain(keyB);
    expect(await isListening(port)).toBe(false);
  });
});
