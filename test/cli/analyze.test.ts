import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/dev.ts', 'analyze', ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

/** A lit, textured scene with noise, so keypoints and JPEG behave like a photo's. */
async function texture(width: number, height: number, seed: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  let s = seed;
  const noise = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 24) / 32 - 4;
  };
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const u = x / width;
      const v = y / height;
      const blob = Math.sin(u * (7 + seed) + Math.cos(v * 5 * seed)) * 40;
      const box = Math.abs(u - 0.5) < 0.2 && Math.abs(v - 0.45) < 0.25 ? 50 : 0;
      const tex =
        18 * Math.sin(x / (5 + (seed % 5))) * Math.cos(y / 7) +
        12 * Math.sin((x * seed + 3 * y) / 11);
      const i = (y * width + x) * 3;
      raw[i] = clamp(110 + blob + box + tex + noise());
      raw[i + 1] = clamp(100 + blob * 0.7 + box * 0.5 + tex + noise());
      raw[i + 2] = clamp(90 - blob * 0.4 + tex * 0.8 + noise());
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 92 })
    .toBuffer();
}

describe('anxin analyze', () => {
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-analyze-'));
    const reference = await texture(640, 480, 3);
    fs.writeFileSync(path.join(dir, 'ref.jpg'), reference);
    fs.writeFileSync(
      path.join(dir, 'reuse.jpg'),
      await sharp(reference).resize(560).jpeg({ quality: 80 }).toBuffer(),
    );
    fs.writeFileSync(path.join(dir, 'other.jpg'), await texture(480, 360, 11));
    fs.writeFileSync(path.join(dir, 'fake.jpg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    fs.writeFileSync(
      path.join(dir, 'cases.json'),
      JSON.stringify([
        { id: 'reuse', claim: 'reuse.jpg', references: ['ref.jpg'] },
        {
          id: 'other',
          claim: 'other.jpg',
          references: ['ref.jpg'],
          delivered_at: '2025-03-14T15:22:07+08:00',
        },
        { id: 'fake', claim: 'fake.jpg', references: [] },
      ]),
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints one JSON report with score, verdict, regions, signals and timings, and writes an overlay', async () => {
    const overlay = path.join(dir, 'overlay.png');
    const result = await run([
      path.join(dir, 'reuse.jpg'),
      '--reference',
      path.join(dir, 'ref.jpg'),
      '--json',
      '--overlay',
      overlay,
    ]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      score: number;
      verdict: string;
      regions: unknown[];
      signals: { id: string }[];
      timings_ms: Record<string, number>;
    };
    expect(report.score).toBeGreaterThan(0.8);
    expect(report.verdict).toBe('reject');
    expect(report.signals.map((s) => s.id)).toContain('reference.unedited_reuse');
    expect(report.timings_ms['total']).toBeGreaterThan(0);
    const meta = await sharp(overlay).metadata();
    expect(meta.format).toBe('png');
  });

  it('refuses a disguised SVG with its stable code and a JSON error', async () => {
    const result = await run([path.join(dir, 'fake.jpg'), '--json']);
    expect(result.code).not.toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'EVIDENCE_SVG_REFUSED' } });
    expect(result.stderr).toContain('[EVIDENCE_SVG_REFUSED]');
  });

  it('runs a batch over worker threads and writes one JSON line per case, in order', async () => {
    const out = path.join(dir, 'results.jsonl');
    const result = await run([
      '--batch',
      path.join(dir, 'cases.json'),
      '--out',
      out,
      '--jobs',
      '2',
    ]);
    expect(result.code).toBe(0);
    const lines = fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; score?: number; error?: { code: string } });
    expect(lines.map((l) => l.id)).toEqual(['reuse', 'other', 'fake']);
    expect(lines[0]?.score).toBeGreaterThan(0.8);
    expect(lines[1]?.score).toBeLessThan(0.35);
    expect(lines[2]?.error?.code).toBe('EVIDENCE_SVG_REFUSED');
    expect(result.stderr).toContain('3/3');
  });
});
