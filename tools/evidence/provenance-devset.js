// Runs the provenance signals over the evidence-dev set's metadata cases
// (m_meta) and every genuine case, and prints how many of each fire.
//   npx tsx tools/evidence/provenance-devset.js [path/to/manifest.json] [--all] [--verbose]
// Targets: every m_meta case strong (>= 0.7), no genuine case above weak (> 0.3).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { analyzeProvenance } from '../../src/evidence/provenance/index.ts';

const args = process.argv.slice(2);
const manifestPath = path.resolve(
  args.find((a) => !a.startsWith('--')) ?? '../shared/evidence-dev/manifest.json',
);
const includeAll = args.includes('--all');
const verbose = args.includes('--verbose');
const root = path.dirname(manifestPath);
const cases = JSON.parse(readFileSync(manifestPath, 'utf8'));

const rows = [];
const started = performance.now();
for (const c of cases) {
  if (!includeAll && c.category !== 'm_meta' && c.label !== 'genuine') continue;
  const bytes = new Uint8Array(readFileSync(path.join(root, c.claim)));
  const { data, info } = await sharp(bytes)
    .rotate()
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const claimPixels = {
    width: info.width,
    height: info.height,
    channels: 3,
    data: new Uint8Array(data),
  };
  const format = c.claim.toLowerCase().endsWith('.png') ? 'png' : 'jpeg';
  const context = c.delivered_at
    ? { deliveredAt: new Date(c.delivered_at), claimPixels }
    : { claimPixels };
  const { signals } = await analyzeProvenance(bytes, format, context);
  const max = Math.max(0, ...signals.map((s) => s.strength));
  rows.push({ c, max, signals });
}
const ms = performance.now() - started;

for (const { c, max, signals } of rows) {
  if (!verbose && c.category !== 'm_meta' && max <= 0.3) continue;
  const fired = signals.filter((s) => s.strength > 0).map((s) => `${s.id}=${s.strength}`);
  console.log(`${c.id} ${c.category} ${c.meta?.kind ?? ''} max=${max} ${fired.join(' ')}`);
  if (verbose) for (const s of signals) console.log(`    ${s.reason.en}`);
}
const meta = rows.filter((r) => r.c.category === 'm_meta');
const genuine = rows.filter((r) => r.c.label === 'genuine');
const forged = rows.filter((r) => r.c.label === 'forged' && r.c.category !== 'm_meta');
console.log(
  `m_meta with a strong signal (>= 0.7): ${meta.filter((r) => r.max >= 0.7).length}/${meta.length}`,
);
console.log(
  `genuine with a signal above weak (> 0.3): ${genuine.filter((r) => r.max > 0.3).length}/${genuine.length}`,
);
console.log(
  `genuine with any signal > 0: ${genuine.filter((r) => r.max > 0).length}/${genuine.length}`,
);
if (includeAll)
  console.log(
    `pixel forgeries with a signal > 0: ${forged.filter((r) => r.max > 0).length}/${forged.length}`,
  );
console.log(`${rows.length} cases in ${(ms / 1000).toFixed(1)} s`);
