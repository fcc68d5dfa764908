/**
 * API latency and throughput against one running server: GET /healthz (the
 * baseline: routing, serialisation and the HTTP round trip, no database),
 * POST /api/customers (seal personal data, blind-index the phone, insert and
 * audit in one durable transaction) and POST /api/customers/lookup (blind
 * index lookup, one match opened and masked).
 *
 *   npx tsx bench/api.ts     BENCH_REQUESTS=2000 BENCH_WARMUP=200 BENCH_CONCURRENCY=16
 *                            ANXIN_BENCH_PG_URL=postgres://… to add PostgreSQL
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { makeTempDir, removeTempDir, runAsScript } from './support/cleanup.js';
import {
  createScratchDatabase,
  postgresUrlFromEnv,
  type ScratchDatabase,
} from './support/postgres.js';
import {
  ensureBuilt,
  isMainModule,
  ms,
  perSecond,
  positiveIntegerFromEnv,
  printFigure,
  printHeader,
  ratio,
} from './support/report.js';
import { startAnxin, type AnxinDatabase, type AnxinServer } from './support/server.js';
import { summarize } from './support/stats.js';

export interface ApiOptions {
  readonly requests: number;
  readonly warmup: number;
  readonly concurrency: number;
  readonly postgresUrl: string | undefined;
}

export function apiOptionsFromEnv(): ApiOptions {
  return {
    requests: positiveIntegerFromEnv('BENCH_REQUESTS', 2000),
    warmup: positiveIntegerFromEnv('BENCH_WARMUP', 200),
    concurrency: positiveIntegerFromEnv('BENCH_CONCURRENCY', 16),
    postgresUrl: postgresUrlFromEnv(),
  };
}

interface Answer {
  readonly status: number;
  readonly text: string;
}

/** A signed-in console session over Node's fetch (undici keeps connections alive by default). */
class Session {
  private cookie = '';
  private csrfToken = '';

  constructor(private readonly baseUrl: string) {}

  async send(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (this.cookie && path.startsWith('/api/')) headers.cookie = this.cookie;
    if (method !== 'GET' && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('anxin_session='));
    if (cookie) this.cookie = cookie.split(';')[0]!;
    return { status: response.status, text: await response.text() };
  }

  /** Signs in with the one-time password and replaces it, as every new admin must. */
  async signInFirstTime(username: string, oneTimePassword: string): Promise<void> {
    const signIn = expect(
      await this.send('POST', '/api/auth/sign-in', { username, password: oneTimePassword }),
      200,
      'sign-in',
    );
    this.csrfToken = (JSON.parse(signIn.text) as { csrfToken: string }).csrfToken;
    const changed = expect(
      await this.send('POST', '/api/auth/password', {
        currentPassword: oneTimePassword,
        newPassword: `bench-${randomBytes(18).toString('base64url')}`,
      }),
      200,
      'password change',
    );
    this.csrfToken = (JSON.parse(changed.text) as { csrfToken: string }).csrfToken;
  }
}

function expect(answer: Answer, status: number, what: string): Answer {
  if (answer.status !== status)
    throw new Error(
      `${what}: expected HTTP ${status}, got ${answer.status}: ${answer.text.slice(0, 300)}`,
    );
  return answer;
}

/** The operations under test; each returns when the whole response body has arrived. */
interface Operations {
  readonly healthz: () => Promise<Answer>;
  readonly create: () => Promise<Answer>;
  readonly lookup: () => Promise<Answer>;
}

function operations(session: Session, merchantId: string): Operations {
  // Distinct, plausible mobile numbers, so every lookup matches exactly one customer.
  const created: string[] = [];
  let nextPhone = 0;
  let nextLookup = 0;
  return {
    healthz: () => session.send('GET', '/healthz'),
    async create() {
      const phone = `139${String(nextPhone++).padStart(8, '0')}`;
      const answer = await session.send('POST', '/api/customers', {
        name: '压测用户',
        phone,
        address: '上海市浦东新区世纪大道 100 号',
        merchantId,
      });
      if (answer.status === 201) created.push(phone);
      return answer;
    },
    lookup() {
      // A stride through what exists, so lookups spread over old and new rows.
      const phone = created[(nextLookup++ * 7919) % created.length]!;
      return session.send('POST', '/api/customers/lookup', { phone, merchantId });
    },
  };
}

const EXPECTED_STATUS: Record<keyof Operations, number> = {
  healthz: 200,
  create: 201,
  lookup: 200,
};

function checkLookup(answer: Answer): void {
  const items = (JSON.parse(answer.text) as { items: unknown[] }).items;
  if (items.length !== 1)
    throw new Error(`lookup: expected exactly one match, got ${items.length}`);
}

async function timed(
  op: () => Promise<Answer>,
  name: keyof Operations,
  into: number[] | undefined,
): Promise<void> {
  const startedAt = performance.now();
  const answer = await op();
  const elapsed = performance.now() - startedAt;
  expect(answer, EXPECTED_STATUS[name], name);
  if (name === 'lookup') checkLookup(answer);
  into?.push(elapsed);
}

/** `concurrency` workers share `total` requests; collects latencies and returns the wall-clock seconds. */
async function concurrently(
  total: number,
  concurrency: number,
  name: keyof Operations,
  op: () => Promise<Answer>,
  latencies: number[],
): Promise<number> {
  let issued = 0;
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (issued < total) {
        issued++;
        await timed(op, name, latencies);
      }
    }),
  );
  return (performance.now() - startedAt) / 1000;
}

const FIGURE_NAMES: Record<keyof Operations, string> = {
  healthz: 'healthz',
  create: 'customers.create',
  lookup: 'customers.lookup',
};

async function benchOneDatabase(
  label: string,
  server: AnxinServer,
  options: ApiOptions,
): Promise<void> {
  if (!server.oneTimePassword)
    throw new Error('the server did not print a one-time password; is the data dir fresh?');
  const admin = new Session(server.url);
  await admin.signInFirstTime('admin', server.oneTimePassword);
  const merchant = expect(
    await admin.send('POST', '/api/merchants', { name: 'Bench merchant' }),
    201,
    'create merchant',
  );
  const merchantId = (JSON.parse(merchant.text) as { id: string }).id;
  // Customers belong to a merchant: the platform admin may read them, but the merchant's own staff record them.
  const agentAnswer = expect(
    await admin.send('POST', '/api/users', {
      username: 'bench-agent',
      displayName: 'Bench agent',
      role: 'agent',
      merchantId,
    }),
    201,
    'create agent',
  );
  const agent = new Session(server.url);
  await agent.signInFirstTime(
    'bench-agent',
    (JSON.parse(agentAnswer.text) as { oneTimePassword: string }).oneTimePassword,
  );
  const ops = operations(agent, merchantId);
  const order: (keyof Operations)[] = ['healthz', 'create', 'lookup'];

  for (let i = 0; i < options.warmup; i++)
    for (const name of order) await timed(ops[name], name, undefined);

  // Sequential, interleaved request by request so drift in the machine's load hits all three alike.
  const sequential = { healthz: [] as number[], create: [] as number[], lookup: [] as number[] };
  for (let i = 0; i < options.requests; i++)
    for (const name of order) await timed(ops[name], name, sequential[name]);
  const base = summarize(sequential.healthz);
  for (const name of order) {
    const s = summarize(sequential[name]);
    printFigure(`api.${label}.seq.${FIGURE_NAMES[name]}`, {
      median: ms(s.median),
      p99: ms(s.p99),
      ratio: ratio(s.median, base.median),
      'baseline(healthz)': ms(base.median),
      n: s.n,
    });
  }

  // Under load too the three alternate, in slices of 25 requests per worker, so drift in the
  // machine's load hits all three alike; each slice's ramp-down costs every endpoint the same.
  const slice = options.concurrency * 25;
  const loaded = {
    healthz: { latencies: [] as number[], seconds: 0 },
    create: { latencies: [] as number[], seconds: 0 },
    lookup: { latencies: [] as number[], seconds: 0 },
  };
  for (let done = 0; done < options.requests; done += slice) {
    const count = Math.min(slice, options.requests - done);
    for (const name of order) {
      const run = loaded[name];
      run.seconds += await concurrently(count, options.concurrency, name, ops[name], run.latencies);
    }
  }
  const throughputOf = (name: keyof Operations) =>
    loaded[name].latencies.length / loaded[name].seconds;
  const baseThroughput = throughputOf('healthz');
  for (const name of order) {
    const s = summarize(loaded[name].latencies);
    printFigure(`api.${label}.c${options.concurrency}.${FIGURE_NAMES[name]}`, {
      throughput: perSecond(throughputOf(name)),
      median: ms(s.median),
      p99: ms(s.p99),
      ratio: ratio(throughputOf(name), baseThroughput),
      'baseline(healthz)': perSecond(baseThroughput),
      n: s.n,
    });
  }
}

async function withServer(label: string, options: ApiOptions, postgresUrl?: string): Promise<void> {
  const dataDir = makeTempDir();
  let scratch: ScratchDatabase | undefined;
  let server: AnxinServer | undefined;
  try {
    let database: AnxinDatabase = {};
    if (postgresUrl) {
      scratch = await createScratchDatabase(postgresUrl, 'api');
      database = { url: scratch.url, schema: scratch.schema };
    }
    server = await startAnxin(dataDir, database);
    await benchOneDatabase(label, server, options);
  } finally {
    await server?.stop();
    removeTempDir(dataDir);
    await scratch?.drop();
  }
}

export async function benchApi(options: ApiOptions = apiOptionsFromEnv()): Promise<void> {
  ensureBuilt();
  printHeader('api', {
    requests: options.requests,
    warmup: options.warmup,
    concurrency: options.concurrency,
    postgres: options.postgresUrl ? 'yes' : 'no',
  });
  await withServer('sqlite', options);
  if (options.postgresUrl) await withServer('postgres', options, options.postgresUrl);
}

if (isMainModule(import.meta.url)) runAsScript(() => benchApi());
