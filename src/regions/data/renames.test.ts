import { describe, expect, it } from 'vitest';
import { createResolver, divisionName, isStatisticalOnly } from '../index.js';
import { RENAMES } from './renames.js';

describe('the renames table', () => {
  it('points every entry at a unit of the bundled table that is not statistical-only', () => {
    const missing = RENAMES.filter(
      (entry) => divisionName(entry.code) === undefined || isStatisticalOnly(entry.code),
    );
    expect(missing).toEqual([]);
    for (const entry of RENAMES)
      if (entry.formerParent) expect(divisionName(entry.formerParent)).toBeDefined();
  });

  it('resolves every stale county name under its current prefecture', () => {
    const resolver = createResolver();
    const failures: string[] = [];
    for (const entry of RENAMES) {
      if (entry.code.length !== 6) continue;
      const successors = RENAMES.filter(
        (other) => other.old === entry.old && other.code.slice(0, 4) === entry.code.slice(0, 4),
      ).map((other) => other.code);
      const prefecture = divisionName(entry.code.slice(0, 4))!;
      const context = /市辖区|^县$|直辖/.test(prefecture)
        ? divisionName(entry.code.slice(0, 2))!
        : prefecture;
      const result = resolver.resolve(context + entry.old);
      const ok =
        successors.length > 1
          ? result.status === 'ambiguous' && successors.every((c) => result.candidates.includes(c))
          : result.code === entry.code;
      if (!ok) failures.push(`${context}${entry.old} → ${JSON.stringify(result)}`);
    }
    expect(failures).toEqual([]);
  });

  it('gives every entry a note', () => {
    expect(RENAMES.filter((entry) => entry.note.trim() === '')).toEqual([]);
  });
});
