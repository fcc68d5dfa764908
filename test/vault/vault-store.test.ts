import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { startRuntime, type Runtime } from '../../src/runtime/index.js';
import { generateKey, keyringFromEnv, rotateMasterKey } from '../../src/vault/index.js';
import { systemClock } from '../../src/kernel/index.js';
import {
  createTestDatabase,
  dialectsUnderTest,
  dumpPostgresSchema,
  type TestDatabase,
} from '../support/dialects.js';

const PHONES = ['13812345678', '13987654321', '15000001111'];
const platform = {
  kind: 'user',
  userId: 'u',
  username: 'root',
  displayName: 'root',
  role: 'platform_admin',
  merchantId: null,
  sessionId: 's',
  mustChangePassword: false,
} as const;

function envFor(db: TestDatabase, env: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: db.databaseUrl,
    ANXIN_DATA_DIR: db.dataDir,
    LOG_LEVEL: 'silent',
    ...(db.schema ? { DATABASE_SCHEMA: db.schema } : {}),
    ...env,
  };
}

async function open(db: TestDatabase, env: Record<string, string> = {}) {
  return startRuntime(loadConfig(envFor(db, env)));
}

/** Runs the real `anxin` CLI from the sources in a child process. */
function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/dev.ts', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function merchantStaff(runtime: Runtime) {
  const merchant = await runtime.services.merchants.create(platform, { name: 'Lockco' });
  return { merchant, agent: { ...platform, role: 'agent' as const, merchantId: merchant.id } };
}

describe.each(dialectsUnderTest())('the vault on %s', (dialect) => {
  let db: TestDatabase;
  const runtimes: Runtime[] = [];

  afterEach(async () => {
    for (const r of runtimes.splice(0)) await r.close().catch(() => undefined);
    await db.dispose();
  });

  it('creates a key file with mode 0600 on first start and round-trips personal data', async () => {
    db = await createTestDatabase(dialect);
    const runtime = await open(db);
    runtimes.push(runtime);
    const keyFile = path.join(db.dataDir, 'master.key');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);

    const { agent } = await merchantStaff(runtime);
    const created = await runtime.services.customers.create(agent, {
      name: '张三',
      phone: '+86 138-1234-5678',
      address: '北京市朝阳区建国路88号',
    });
    expect(created.phone).toBe('138****5678');
    expect(created.name).toBe('张*');
    const revealed = await runtime.services.customers.reveal(agent, created.id, {
      fields: ['phone', 'name', 'address'],
      reason: 'calling back',
    });
    expect(revealed).toEqual({
      phone: '+86 138-1234-5678',
      name: '张三',
      address: '北京市朝阳区建国路88号',
    });
  });

  it('finds a customer by phone number through the blind index, however it is written', async () => {
    db = await createTestDatabase(dialect);
    const runtime = await open(db);
    runtimes.push(runtime);
    const { agent } = await merchantStaff(runtime);
    const a = await runtime.services.customers.create(agent, {
      name: '李四',
      phone: '13987654321',
    });
    await runtime.services.customers.create(agent, { name: '王五', phone: '15000001111' });
    const found = await runtime.services.customers.findByPhone(agent, {
      phone: '+86 139 8765 4321',
    });
    expect(found.map((c) => c.id)).toEqual([a.id]);
    expect(await runtime.services.customers.findByPhone(agent, { phone: '13000000000' })).toEqual(
      [],
    );
  });

  it('stores no phone number, name or address in plaintext in the database', async () => {
    db = await createTestDatabase(dialect);
    const runtime = await open(db);
    runtimes.push(runtime);
    const { agent } = await merchantStaff(runtime);
    for (const phone of PHONES) {
      await runtime.services.customers.create(agent, {
        name: '赵六',
        phone,
        address: '上海市浦东新区世纪大道100号',
        idNumber: '11010519491231002X',
      });
    }
    await runtime.close();
    runtimes.length = 0;
    const haystack =
      dialect === 'sqlite'
        ? readSqliteFiles(db.dataDir)
        : await dumpPostgresSchema(db.schema ?? '');
    expect(haystack.length).toBeGreaterThan(1000);
    for (const needle of [...PHONES, '赵六', '世纪大道', '11010519491231002X', '1234-5678']) {
      expect(haystack.includes(needle), `found ${needle}`).toBe(false);
      expect(haystack.includes(Buffer.from(needle).toString('hex')), `found hex of ${needle}`).toBe(
        false,
      );
    }
  });

  it('refuses to start with a wrong master key, and with a missing key file', async () => {
    db = await createTestDatabase(dialect);
    const right = generateKey().toString('base64');
    const runtime = await open(db, { ANXIN_MASTER_KEY: right });
    const { agent } = await merchantStaff(runtime);
    await runtime.services.customers.create(agent, { name: '张三', phone: '13812345678' });
    await runtime.close();

    await expect(
      open(db, { ANXIN_MASTER_KEY: generateKey().toString('base64') }),
    ).rejects.toMatchObject({ code: 'VAULT_MASTER_KEY_MISMATCH' });
    await expect(open(db)).rejects.toMatchObject({ code: 'VAULT_MASTER_KEY_MISSING' });
    expect(fs.existsSync(path.join(db.dataDir, 'master.key'))).toBe(false);
    const again = await open(db, { ANXIN_MASTER_KEY: right });
    runtimes.push(again);
    expect((await again.services.customers.list(agent, { limit: 10 })).map((c) => c.phone)).toEqual(
      ['138****5678'],
    );
  });

  it('rotates the master key with `anxin keys rotate` under concurrent writes without losing a record', async () => {
    db = await createTestDatabase(dialect);
    const service = await open(db);
    runtimes.push(service);
    const { agent } = await merchantStaff(service);
    const before = [];
    for (let i = 0; i < 60; i += 1) {
      before.push(
        await service.services.customers.create(agent, {
          name: `客户${i}`,
          phone: `1380000${String(i).padStart(4, '0')}`,
        }),
      );
    }
    const oldKeyId = service.keyring.keys()[0]?.id;

    // The service keeps taking customers while the CLI, a separate process, rotates.
    let writing = true;
    const during: string[] = [];
    const writer = (async () => {
      let i = 0;
      while (writing || i < 20) {
        const c = await service.services.customers.create(agent, {
          name: `并发${i}`,
          phone: `139${String(i).padStart(8, '0')}`,
        });
        during.push(c.id);
        i += 1;
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const cli = await runCli(['keys', 'rotate', '--batch-size', '7'], envFor(db));
    writing = false;
    await writer;
    expect(cli.stderr + cli.stdout).toContain(`retired ${oldKeyId}`);
    expect(cli.code).toBe(0);

    const keys = await service.store.db
      .selectFrom('vault_data_keys')
      .select('master_key_id')
      .distinct()
      .execute();
    expect(keys.length).toBe(1);
    expect(keys[0]?.master_key_id).not.toBe(oldKeyId);
    const keyFile = JSON.parse(fs.readFileSync(path.join(db.dataDir, 'master.key'), 'utf8')) as {
      keys: string[];
    };
    expect(keyFile.keys.length).toBe(1);

    // A fresh process holding only the new key reads every record, old and new.
    await service.close();
    runtimes.length = 0;
    const fresh = await open(db);
    runtimes.push(fresh);
    for (const c of before.slice(0, 5)) {
      const plain = await fresh.services.customers.reveal(agent, c.id, {
        fields: ['phone'],
        reason: 'rotation check',
      });
      expect(plain.phone).toMatch(/^1380000\d{4}$/);
    }
    // Paging through every customer decrypts every record.
    const seen: string[] = [];
    for (;;) {
      const page = await fresh.services.customers.list(agent, {
        limit: 200,
        ...(seen.length ? { after: seen.at(-1) } : {}),
      });
      if (page.length === 0) break;
      for (const c of page) expect(c.phone).toMatch(/^13[89]\*{4}\d{4}$/);
      seen.push(...page.map((c) => c.id));
    }
    expect(seen.length).toBe(before.length + during.length);
    expect(during.length).toBeGreaterThanOrEqual(20);
    expect(
      (await fresh.services.customers.findByPhone(agent, { phone: '13900000003' })).length,
    ).toBe(1);
  });

  it('resumes an interrupted rotation with keys from the environment', async () => {
    db = await createTestDatabase(dialect);
    const a = Buffer.alloc(32, 1).toString('base64');
    const b = Buffer.alloc(32, 2).toString('base64');
    const first = await open(db, { ANXIN_MASTER_KEY: a });
    const { agent } = await merchantStaff(first);
    for (let i = 0; i < 12; i += 1)
      await first.services.customers.create(agent, {
        name: `客户${i}`,
        phone: `1370000${String(i).padStart(4, '0')}`,
      });
    await first.close();

    // The operator puts the new key first and restarts with both, as the README says.
    const runtime = await open(db, { ANXIN_MASTER_KEY: `${b},${a}` });
    runtimes.push(runtime);
    await expect(
      rotateMasterKey({ db: runtime.store.db, keyring: keyringFromEnv(a), clock: systemClock }),
    ).rejects.toMatchObject({ code: 'VAULT_ROTATION_NEEDS_NEW_KEY' });

    let batches = 0;
    await expect(
      rotateMasterKey({
        db: runtime.store.db,
        keyring: runtime.keyring,
        clock: systemClock,
        batchSize: 5,
        onProgress: () => {
          batches += 1;
          if (batches === 1) throw new Error('power cut');
        },
      }),
    ).rejects.toThrow('power cut');
    const states = await runtime.store.db
      .selectFrom('vault_master_keys')
      .select('status')
      .execute();
    expect(states.map((s) => s.status).sort()).toEqual(['active', 'retiring']);
    // Customers keep arriving mid-rotation, under the new key.
    await runtime.services.customers.create(agent, { name: '新客户', phone: '13600000001' });

    const resumed = await rotateMasterKey({
      db: runtime.store.db,
      keyring: runtime.keyring,
      clock: systemClock,
      batchSize: 5,
    });
    expect(resumed.resumed).toBe(true);
    expect(resumed.rewrapped).toBe(12 - 5);
    await runtime.close();
    runtimes.length = 0;

    const onlyNew = await open(db, { ANXIN_MASTER_KEY: b });
    runtimes.push(onlyNew);
    expect(
      (await onlyNew.services.customers.findByPhone(agent, { phone: '13700000011' })).length,
    ).toBe(1);
    const all = await onlyNew.services.customers.list(agent, { limit: 50 });
    expect(all.length).toBe(13);
    await expect(open(db, { ANXIN_MASTER_KEY: a })).rejects.toMatchObject({
      code: 'VAULT_MASTER_KEY_MISMATCH',
    });
  });
});

function readSqliteFiles(dir: string): string {
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith('anxin.db'))
    .map(
      (f) =>
        fs.readFileSync(path.join(dir, f)).toString('latin1') +
        fs.readFileSync(path.join(dir, f)).toString('utf8'),
    )
    .join('\n');
}
