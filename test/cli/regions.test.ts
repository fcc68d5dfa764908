import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function resolveNames(input: string): Promise<{ code: number | null; lines: unknown[] }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/dev.ts', 'regions', 'resolve'],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.on('close', (code) =>
      resolve({
        code,
        lines: out
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as unknown),
      }),
    );
    child.stdin.end(input);
  });
}

describe('anxin regions resolve', () => {
  it('prints one JSON line per input line, in order, for CRLF input with a BOM and noise', async () => {
    const { code, lines } = await resolveNames(
      '\uFEFF甘孜道孚县\r\n  河东区 \r\n长三角\r\n东莞市黄江镇（可上门）\r\n',
    );
    expect(code).toBe(0);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ status: 'resolved', code: '513326' });
    expect(lines[1]).toMatchObject({ status: 'ambiguous', code: null });
    expect((lines[1] as { candidates: string[] }).candidates.length).toBeGreaterThan(1);
    expect(lines[2]).toMatchObject({ status: 'unresolved', code: null, candidates: [] });
    expect(lines[3]).toMatchObject({ status: 'resolved' });
    expect((lines[3] as { code: string }).code).toMatch(/^441900\d{3}$/);
  });
});
