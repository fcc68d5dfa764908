import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../kernel/index.js';
import { loadConfig } from './index.js';

describe('loadConfig', () => {
  it('defaults to SQLite under ./data and port 8080', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBe(`sqlite:${path.resolve('data', 'anxin.db')}`);
    expect(config.port).toBe(8080);
    expect(config.host).toBe('127.0.0.1');
    expect(config.masterKeyFile).toBe(path.resolve('data', 'master.key'));
  });

  it('reports every bad value at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        ANXIN_COOKIE_SECURE: 'maybe',
        ANXIN_MASTER_KEY: 'short',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe('CONFIG_INVALID');
    const variables = (appError.details?.['issues'] as { variable: string }[])
      .map((i) => i.variable)
      .sort();
    expect(variables).toEqual(['ANXIN_COOKIE_SECURE', 'ANXIN_MASTER_KEY', 'DATABASE_URL', 'PORT']);
  });

  it('lets flags override the environment and returns a frozen object', () => {
    const config = loadConfig({ PORT: '9000', DATABASE_URL: 'postgres://a@b/c' }, { PORT: '9001' });
    expect(config.port).toBe(9001);
    expect(config.databaseUrl).toBe('postgres://a@b/c');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('accepts a keyring of several base64 keys in ANXIN_MASTER_KEY', () => {
    const a = Buffer.alloc(32, 1).toString('base64');
    const b = Buffer.alloc(32, 2).toString('base64');
    expect(loadConfig({ ANXIN_MASTER_KEY: `${a},${b}` }).masterKey).toBe(`${a},${b}`);
  });
});
