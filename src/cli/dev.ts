// Entry for `npm run dev`: runs the CLI from TypeScript sources through tsx.
import { runCli } from './main.js';

await runCli(process.argv);
