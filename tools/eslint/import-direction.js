// A local ESLint rule that enforces the dependency direction of STYLE.md:
//   - evidence/ and regions/ are libraries: they import nothing else from src/;
//   - kernel/ imports nothing from src/; everything else may import kernel/;
//   - capabilities import each other only through their index.ts;
//   - runtime/ (the composition root) is imported only by the edges;
//   - http/ and cli/ are edges: nothing but another edge imports them.
import path from 'node:path';

const LIBRARIES = new Set(['evidence', 'regions']);
const EDGES = new Set(['http', 'cli']);

function areaOf(file, srcRoot) {
  const relative = path.relative(srcRoot, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const [area, ...rest] = relative.split(path.sep);
  return { area: rest.length === 0 ? '' : area, rest: rest.join('/') };
}

function problem(from, to) {
  if (from.area === to.area) return undefined;
  if (LIBRARIES.has(from.area)) return `${from.area}/ is a library and must not import ${to.area}/`;
  if (from.area === 'kernel') return 'kernel/ must not import other folders';
  if (to.area === 'kernel') return undefined;
  if (EDGES.has(to.area))
    return EDGES.has(from.area) ? undefined : `only the edges may import ${to.area}/`;
  if (to.area === 'runtime')
    return EDGES.has(from.area) ? undefined : 'only the edges (http/, cli/) may import runtime/';
  if (EDGES.has(from.area))
    return to.rest === 'index.js' || to.rest === 'index.ts'
      ? undefined
      : `import ${to.area}/ through its index.ts`;
  if (to.rest !== 'index.js' && to.rest !== 'index.ts')
    return `import ${to.area}/ through its index.ts`;
  return undefined;
}

export const importDirection = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the import direction between capability folders (STYLE.md)' },
    schema: [],
  },
  create(context) {
    const filename = context.filename;
    const srcRoot = path.resolve(context.cwd, 'src');
    const from = areaOf(filename, srcRoot);
    if (!from) return {};
    function check(node) {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const to = areaOf(path.resolve(path.dirname(filename), source), srcRoot);
      if (!to) {
        context.report({ node, message: 'src/ must not import files outside src/' });
        return;
      }
      const message = problem(from, to);
      if (message) context.report({ node, message });
    }
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default { rules: { 'import-direction': importDirection } };
