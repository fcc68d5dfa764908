/**
 * A tiny `anxin`-like entry with only the regions commands, for scoring the
 * resolver without the rest of the CLI. With no arguments it runs
 * `regions resolve`, so the scorer can call it as it is:
 *   python3 /work/shared/regions-dev/score.py dev.jsonl 'npx tsx src/cli/regions-dev.ts'
 */
import { Command } from 'commander';
import { registerRegionsCommands } from './regions.js';

const program = new Command('anxin-regions');
registerRegionsCommands(program);
const args = process.argv.slice(2);
await program.parseAsync(args.length > 0 ? args : ['regions', 'resolve'], { from: 'user' });
