import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { AppError } from '../kernel/index.js';

/**
 * The only module that reads process.env. Every value is validated at once so
 * an operator sees every mistake in one run, and the result is frozen.
 */

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const integerFromEnv = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const databaseUrl = z
  .string()
  .refine((v) => v.startsWith('sqlite:') || /^postgres(ql)?:\/\//.test(v), {
    message: 'must start with sqlite: or postgres://',
  });

const masterKey = z
  .string()
  .refine((v) => v.split(',').every((entry) => /^[A-Za-z0-9+/_-]{43}=?$/.test(entry.trim())), {
    message:
      'must be a base64 32-byte key, or a comma-separated list of them (the active key first)',
  });

const envSchema = z.object({
  DATABASE_URL: databaseUrl.optional(),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .optional(),
  ANXIN_DATA_DIR: z.string().min(1).optional(),
  HOST: z.string().min(1).optional(),
  PORT: integerFromEnv(0, 65535).optional(),
  ANXIN_MASTER_KEY: masterKey.optional(),
  ANXIN_MASTER_KEY_FILE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  ANXIN_BODY_LIMIT_BYTES: integerFromEnv(1024, 512 * 1024 * 1024).optional(),
  ANXIN_RATE_LIMIT_PER_MINUTE: integerFromEnv(1, 1_000_000).optional(),
  ANXIN_SIGNIN_RATE_LIMIT_PER_MINUTE: integerFromEnv(1, 1_000_000).optional(),
  ANXIN_COOKIE_SECURE: booleanFromEnv.optional(),
  ANXIN_TRUST_PROXY: booleanFromEnv.optional(),
  ANXIN_SESSION_TTL_HOURS: integerFromEnv(1, 24 * 90).optional(),
  ANXIN_SIGNIN_MAX_FAILURES: integerFromEnv(1, 100).optional(),
  ANXIN_SIGNIN_LOCKOUT_MINUTES: integerFromEnv(1, 24 * 60).optional(),
  ANXIN_WEB_DIR: z.string().min(1).optional(),
});

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  readonly databaseUrl: string;
  /** PostgreSQL schema for anxin's tables (default: the connection's search_path). */
  readonly databaseSchema: string | undefined;
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  /** Master key material from the environment, or undefined to use the key file. */
  readonly masterKey: string | undefined;
  readonly masterKeyFile: string;
  readonly logLevel: LogLevel;
  readonly bodyLimitBytes: number;
  readonly rateLimitPerMinute: number;
  readonly signInRateLimitPerMinute: number;
  readonly cookieSecure: boolean;
  readonly trustProxy: boolean;
  readonly sessionTtlHours: number;
  readonly signInMaxFailures: number;
  readonly signInLockoutMinutes: number;
  readonly webDir: string;
}

/** Command-line flags override the environment; the CLI passes them in this shape. */
export type ConfigFlags = Partial<Record<keyof z.input<typeof envSchema>, string | undefined>>;

export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  flags: ConfigFlags = {},
): Config {
  const merged: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = flags[key as keyof ConfigFlags] ?? env[key];
    if (value !== undefined && value !== '') merged[key] = value;
  }
  const parsed = envSchema.safeParse(merged);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      variable: issue.path.join('.'),
      problem: issue.message,
    }));
    throw new AppError(
      'CONFIG_INVALID',
      'invalid',
      `Invalid configuration: ${issues.map((i) => `${i.variable} ${i.problem}`).join('; ')}`,
      { issues },
    );
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.ANXIN_DATA_DIR ?? './data');
  return Object.freeze({
    databaseUrl: e.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'anxin.db')}`,
    databaseSchema: e.DATABASE_SCHEMA,
    dataDir,
    host: e.HOST ?? '127.0.0.1',
    port: e.PORT ?? 8080,
    masterKey: e.ANXIN_MASTER_KEY,
    masterKeyFile: path.resolve(e.ANXIN_MASTER_KEY_FILE ?? path.join(dataDir, 'master.key')),
    logLevel: e.LOG_LEVEL ?? 'info',
    bodyLimitBytes: e.ANXIN_BODY_LIMIT_BYTES ?? 1024 * 1024,
    rateLimitPerMinute: e.ANXIN_RATE_LIMIT_PER_MINUTE ?? 600,
    signInRateLimitPerMinute: e.ANXIN_SIGNIN_RATE_LIMIT_PER_MINUTE ?? 20,
    cookieSecure: e.ANXIN_COOKIE_SECURE ?? false,
    trustProxy: e.ANXIN_TRUST_PROXY ?? false,
    sessionTtlHours: e.ANXIN_SESSION_TTL_HOURS ?? 12,
    signInMaxFailures: e.ANXIN_SIGNIN_MAX_FAILURES ?? 5,
    signInLockoutMinutes: e.ANXIN_SIGNIN_LOCKOUT_MINUTES ?? 15,
    webDir: path.resolve(e.ANXIN_WEB_DIR ?? path.join(packageRoot, 'web', 'dist')),
  });
}
