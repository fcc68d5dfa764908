// Runs `npm run build` only when a source is newer than the last build, so
// `npm start` is quick on the second run and always current after a change.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const stamp = path.join(root, 'dist', '.build-stamp');
const inputs = [
  'src',
  'web/src',
  'web/index.html',
  'web/vite.config.ts',
  'package-lock.json',
  'tsconfig.build.json',
];

function newest(entry) {
  const full = path.join(root, entry);
  if (!fs.existsSync(full)) return 0;
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs
    .readdirSync(full)
    .reduce((max, name) => Math.max(max, newest(path.join(entry, name))), stat.mtimeMs);
}

const built =
  fs.existsSync(stamp) && fs.existsSync(path.join(root, 'web', 'dist', 'index.html'))
    ? fs.statSync(stamp).mtimeMs
    : 0;
const changed = Math.max(...inputs.map(newest));
if (changed > built) {
  console.log('anxin: building the server and the console (first start or sources changed)…');
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
  fs.mkdirSync(path.dirname(stamp), { recursive: true });
  fs.writeFileSync(stamp, new Date().toISOString());
}
