import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createResolver } from './index.js';

/**
 * The shared development set (../shared/regions-dev), scored the way its
 * score.py scores a resolver. Skipped where the set is not mounted.
 */
const DEV_SET = '/work/shared/regions-dev/dev.jsonl';

interface TruthLine {
  readonly input: string;
  readonly status: 'resolved' | 'ambiguous' | 'unresolved';
  readonly code: string | null;
  readonly candidates: readonly string[];
}

describe.skipIf(!fs.existsSync(DEV_SET))('the regions development set', () => {
  it('scores accuracy ≥ 0.99 and ambiguous-handling accuracy ≥ 0.95', () => {
    const lines = fs
      .readFileSync(DEV_SET, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as TruthLine);
    const resolver = createResolver();
    let correct = 0;
    let ambiguous = 0;
    let ambiguousCorrect = 0;
    const wrong: string[] = [];
    for (const truth of lines) {
      const got = resolver.resolve(truth.input);
      let ok: boolean;
      if (truth.status === 'resolved') ok = got.status === 'resolved' && got.code === truth.code;
      else if (truth.status === 'ambiguous') {
        ok =
          got.status === 'ambiguous' &&
          [...got.candidates].sort().join() === [...truth.candidates].sort().join();
        ambiguous++;
        if (ok) ambiguousCorrect++;
      } else ok = got.status === 'unresolved';
      if (ok) correct++;
      else
        wrong.push(`${truth.input}: want ${truth.status} ${truth.code ?? truth.candidates.join()}`);
    }
    expect(lines.length).toBeGreaterThan(0);
    expect(correct / lines.length, wrong.slice(0, 20).join('\n')).toBeGreaterThanOrEqual(0.99);
    expect(ambiguous === 0 ? 1 : ambiguousCorrect / ambiguous).toBeGreaterThanOrEqual(0.95);
  });
});
