import { describe, expect, it } from 'vitest';
import {
  decryptValue,
  encryptValue,
  generateKey,
  makeCheckValue,
  masterKeyId,
  verifyCheckValue,
} from './crypto.js';

describe('envelope encryption', () => {
  it('round-trips a value and never repeats a ciphertext', () => {
    const key = generateKey();
    const a = encryptValue(key, '13812345678', 'record:1:phone');
    const b = encryptValue(key, '13812345678', 'record:1:phone');
    expect(a).not.toBe(b);
    expect(decryptValue(key, a, 'record:1:phone').toString()).toBe('13812345678');
  });

  it('refuses a value moved to another record or field', () => {
    const key = generateKey();
    const sealed = encryptValue(key, '张三', 'record:1:name');
    expect(() => decryptValue(key, sealed, 'record:2:name')).toThrow(/integrity/);
    expect(() => decryptValue(key, sealed, 'record:1:address')).toThrow(/integrity/);
  });

  it('detects a flipped bit', () => {
    const key = generateKey();
    const sealed = encryptValue(key, 'value', 'aad');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[14] = (raw[14] ?? 0) ^ 1;
    expect(() => decryptValue(key, `v1:${raw.toString('base64')}`, 'aad')).toThrow();
  });

  it('tells the right master key from a wrong one by its check value', () => {
    const right = generateKey();
    const wrong = generateKey();
    const id = masterKeyId(right);
    const check = makeCheckValue(right, id);
    expect(verifyCheckValue(right, id, check)).toBe(true);
    expect(verifyCheckValue(wrong, id, check)).toBe(false);
    expect(masterKeyId(right)).not.toBe(masterKeyId(wrong));
  });
});
