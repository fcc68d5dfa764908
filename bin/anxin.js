#!/usr/bin/env node
// The published entry point runs the compiled CLI; `npm run build` produces dist/.
import { runCli } from '../dist/cli/main.js';

await runCli(process.argv);
