/**
 * Runs every bench in sequence (`npm run bench`), or the ones named:
 * `npm run bench -- api`. Each bench is also a script of its own.
 */
import { benchApi } from './api.js';
import { runAsScript } from './support/cleanup.js';
import { benchStartup } from './startup.js';

const BENCHES: Record<string, () => Promise<void>> = {
  startup: () => benchStartup(),
  api: () => benchApi(),
};

runAsScript(async () => {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((name) => !(name in BENCHES));
  if (unknown.length > 0)
    throw new Error(
      `unknown bench ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`,
    );
  for (const name of requested.length > 0 ? requested : Object.keys(BENCHES))
    await BENCHES[name]!();
});
