import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exitCodeOf, httpStatusOf, type ErrorKind } from '../../src/kernel/index.js';

/**
 * Keeps docs/errors.md exact: every code the server or the console produces
 * has a row, every row names a code still in use, and kinds, statuses and
 * exit codes agree with src/kernel/errors.ts.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const cataloguePath = path.join(root, 'docs', 'errors.md');

interface SourceFile {
  path: string;
  text: string;
}

function readSources(dir: string, extension: RegExp): SourceFile[] {
  return fs
    .readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => extension.test(file) && !/\.test\.tsx?$/.test(file))
    .map((file) => path.join(dir, file))
    .map((file) => ({ path: file, text: fs.readFileSync(path.join(root, file), 'utf8') }));
}

const CODE = '[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*';
const APP_ERROR = new RegExp(`\\bAppError\\(\\s*'(${CODE})'\\s*,\\s*'([a-z_]+)'`, 'g');
// Bodies written by hand rather than through AppError: `{ error: { code: 'ROUTE_NOT_FOUND', … } }`.
const ERROR_BODY = new RegExp(`\\berror:\\s*\\{\\s*code:\\s*'(${CODE})'`, 'g');
const WEB_CODE = /'(WEB_[A-Z0-9_]+)'/g;
const QUOTED_CODE = new RegExp(`['"\`](${CODE})['"\`]`, 'g');

/** Every code the sources produce, with the kinds it is raised with (none for a hand-written body). */
function producedCodes(server: SourceFile[], web: SourceFile[]): Map<string, Set<string>> {
  const codes = new Map<string, Set<string>>();
  const add = (code: string, kind?: string) => {
    const kinds = codes.get(code) ?? new Set<string>();
    if (kind) kinds.add(kind);
    codes.set(code, kinds);
  };
  for (const file of server) {
    for (const [, code, kind] of file.text.matchAll(APP_ERROR)) add(code!, kind);
    for (const [, code] of file.text.matchAll(ERROR_BODY)) add(code!);
  }
  for (const file of web) for (const [, code] of file.text.matchAll(WEB_CODE)) add(code!);
  return codes;
}

/** Every upper-case string literal anywhere in the sources: a code "still appears" if it is one. */
function quotedCodes(files: SourceFile[]): Set<string> {
  return new Set(
    files.flatMap((file) => [...file.text.matchAll(QUOTED_CODE)].map(([, code]) => code!)),
  );
}

interface CatalogueRow {
  code: string;
  kind: string | null;
  http: string;
}

/** The rows of the per-area tables: `| \`CODE\` | \`kind\` | HTTP | … |`. */
function parseCatalogue(markdown: string): CatalogueRow[] {
  const row = new RegExp(
    `^\\|\\s*\`(${CODE})\`\\s*\\|\\s*(?:\`([a-z_]+)\`|—)\\s*\\|\\s*([^|]*?)\\s*\\|`,
    'gm',
  );
  return [...markdown.matchAll(row)].map(([, code, kind, http]) => ({
    code: code!,
    kind: kind ?? null,
    http: http!,
  }));
}

/** The kinds table: `| \`kind\` | status | exit |`. */
function parseKindTable(markdown: string): Map<string, { http: number; exit: number }> {
  const row = /^\|\s*`([a-z_]+)`\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*$/gm;
  return new Map(
    [...markdown.matchAll(row)].map(([, kind, http, exit]) => [
      kind!,
      { http: Number(http), exit: Number(exit) },
    ]),
  );
}

function catalogueGaps(input: {
  produced: Iterable<string>;
  documented: Iterable<string>;
  stillInSources: ReadonlySet<string>;
}): { undocumented: string[]; stale: string[] } {
  const documented = new Set(input.documented);
  return {
    undocumented: [...new Set(input.produced)].filter((code) => !documented.has(code)).sort(),
    stale: [...documented].filter((code) => !input.stillInSources.has(code)).sort(),
  };
}

const serverSources = readSources('src', /\.ts$/);
const webSources = readSources('web/src', /\.tsx?$/);
const catalogue = fs.readFileSync(cataloguePath, 'utf8');
const produced = producedCodes(serverSources, webSources);
const rows = parseCatalogue(catalogue);
const stillInSources = quotedCodes([...serverSources, ...webSources]);

describe('the error catalogue in docs/errors.md', () => {
  it('finds the codes it is meant to check', () => {
    // Guards the scans themselves: a broken regex would otherwise make every check below pass.
    expect([...produced.keys()]).toEqual(
      expect.arrayContaining([
        'CONFIG_INVALID',
        'STORE_UNAVAILABLE',
        'REQUEST_INVALID',
        'ROUTE_NOT_FOUND',
        'INTERNAL',
        'WEB_NETWORK_FAILED',
      ]),
    );
    expect(rows.length).toBeGreaterThanOrEqual(produced.size);
  });

  it('lists every code the server and the console produce', () => {
    const { undocumented } = catalogueGaps({
      produced: produced.keys(),
      documented: rows.map((r) => r.code),
      stillInSources,
    });
    expect(undocumented, 'codes missing from docs/errors.md').toEqual([]);
  });

  it('lists no code that has disappeared from src/ and web/src/', () => {
    const { stale } = catalogueGaps({
      produced: produced.keys(),
      documented: rows.map((r) => r.code),
      stillInSources,
    });
    expect(stale, 'codes in docs/errors.md that nothing uses').toEqual([]);
  });

  it('lists each code once', () => {
    const seen = rows.map((r) => r.code);
    expect(seen.filter((code, i) => seen.indexOf(code) !== i)).toEqual([]);
  });

  it('lists every error key of the console translations', () => {
    const documented = new Set(rows.map((r) => r.code));
    for (const file of webSources.filter((f) => /i18n[\\/](en|zh-cn)\.ts$/.test(f.path))) {
      const errorsBlock = /\berrors:\s*\{([\s\S]*?)\n\s*\},?\n/.exec(file.text)?.[1] ?? '';
      const keys = [...errorsBlock.matchAll(new RegExp(`^\\s*(${CODE}):`, 'gm'))].map(
        ([, key]) => key!,
      );
      expect(keys.length, `${file.path} error keys`).toBeGreaterThan(0);
      expect(
        keys.filter((key) => !documented.has(key)),
        `${file.path} keys missing from docs/errors.md`,
      ).toEqual([]);
    }
  });

  it('raises each code with one kind only, the one the catalogue names', () => {
    const mismatches: string[] = [];
    for (const [code, kinds] of produced) {
      if (kinds.size > 1) mismatches.push(`${code} is raised as ${[...kinds].join(' and ')}`);
      const row = rows.find((r) => r.code === code);
      for (const kind of kinds)
        if (row && row.kind !== kind)
          mismatches.push(`${code} is ${kind} in src, ${String(row.kind)} in docs`);
    }
    expect(mismatches).toEqual([]);
  });

  it('gives each code the HTTP status of its kind', () => {
    const wrong = rows
      .filter((r) => r.kind !== null && /^\d/.test(r.http))
      .filter((r) => Number.parseInt(r.http, 10) !== httpStatusOf(r.kind as ErrorKind))
      .map((r) => `${r.code}: ${r.http}`);
    expect(wrong).toEqual([]);
  });

  it('maps every kind to the HTTP status and exit code of src/kernel/errors.ts', () => {
    const kernel = fs.readFileSync(path.join(root, 'src', 'kernel', 'errors.ts'), 'utf8');
    const union = /export type ErrorKind =([^;]+);/.exec(kernel)?.[1] ?? '';
    const kinds = [...union.matchAll(/'([a-z_]+)'/g)].map(([, kind]) => kind as ErrorKind);
    expect(kinds.length).toBeGreaterThan(0);
    const table = parseKindTable(catalogue);
    expect([...table.keys()].sort()).toEqual([...kinds].sort());
    for (const kind of kinds) {
      expect(table.get(kind), kind).toEqual({ http: httpStatusOf(kind), exit: exitCodeOf(kind) });
    }
  });
});

describe('the catalogue check', () => {
  // Checked against what the sources produce, not the real file, so only the fake can be reported.
  const documented = [...produced.keys()];

  it('reports a code raised in the source but missing from the catalogue', () => {
    const fake: SourceFile = {
      path: 'src/fake/service.ts',
      text: "throw new AppError(\n  'FAKE_ONLY_IN_MEMORY',\n  'conflict',\n  'never written to disk',\n);",
    };
    const codes = producedCodes([...serverSources, fake], webSources);
    expect(codes.get('FAKE_ONLY_IN_MEMORY')).toEqual(new Set(['conflict']));
    expect(
      catalogueGaps({ produced: codes.keys(), documented, stillInSources }).undocumented,
    ).toEqual(['FAKE_ONLY_IN_MEMORY']);
  });

  it('reports a hand-written error body and a console code missing from the catalogue', () => {
    const server: SourceFile = {
      path: 'src/fake/route.ts',
      text: "reply.send({ error: { code: 'FAKE_BODY', message: 'x' } })",
    };
    const web: SourceFile = {
      path: 'web/src/fake.ts',
      text: "new ApiError(0, 'WEB_FAKE_FAILURE', 'x')",
    };
    const codes = producedCodes([...serverSources, server], [...webSources, web]);
    expect(
      catalogueGaps({ produced: codes.keys(), documented, stillInSources }).undocumented,
    ).toEqual(['FAKE_BODY', 'WEB_FAKE_FAILURE']);
  });

  it('reports a catalogued code that nothing in the sources uses any more', () => {
    const fakeCatalogue = [
      '| code | kind | HTTP | when it happens | details |',
      '| ---- | ---- | ---- | --------------- | ------- |',
      '| `MERCHANT_NOT_FOUND` | `not_found` | 404 | x | — |',
      '| `FAKE_RETIRED_CODE` | `invalid` | 400 | never | — |',
    ].join('\n');
    const fakeRows = parseCatalogue(fakeCatalogue);
    expect(fakeRows.map((r) => r.code)).toEqual(['MERCHANT_NOT_FOUND', 'FAKE_RETIRED_CODE']);
    const gaps = catalogueGaps({
      produced: [],
      documented: fakeRows.map((r) => r.code),
      stillInSources,
    });
    expect(gaps.stale).toEqual(['FAKE_RETIRED_CODE']);
  });
});
