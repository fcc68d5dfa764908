import path from 'node:path';
import { RuleTester } from 'eslint';
import { describe, it } from 'vitest';
import { importDirection } from '../../tools/eslint/import-direction.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const src = (file: string) => path.resolve('src', file);
const tester = new RuleTester({ languageOptions: { ecmaVersion: 2022, sourceType: 'module' } });

tester.run('import-direction', importDirection, {
  valid: [
    { filename: src('claims/service.ts'), code: "import { x } from '../vault/index.js';" },
    { filename: src('claims/service.ts'), code: "import { x } from './rules.js';" },
    { filename: src('claims/service.ts'), code: "import { AppError } from '../kernel/index.js';" },
    { filename: src('evidence/fusion/score.ts'), code: "import { x } from '../guard/sniff.js';" },
    {
      filename: src('http/routes/auth.ts'),
      code: "import { Services } from '../../runtime/services.js';",
    },
    { filename: src('cli/main.ts'), code: "import { buildHttpApp } from '../http/app.js';" },
    {
      filename: path.resolve('test/http/x.test.ts'),
      code: "import { x } from '../../src/vault/vault.js';",
    },
  ],
  invalid: [
    {
      filename: src('evidence/report.ts'),
      code: "import { AppError } from '../kernel/index.js';",
      errors: [{ message: 'evidence/ is a library and must not import kernel/' }],
    },
    {
      filename: src('regions/resolve.ts'),
      code: "import { x } from '../store/index.js';",
      errors: 1,
    },
    {
      filename: src('claims/service.ts'),
      code: "import { x } from '../vault/vault.js';",
      errors: [{ message: 'import vault/ through its index.ts' }],
    },
    {
      filename: src('claims/service.ts'),
      code: "import { x } from '../http/app.js';",
      errors: [{ message: 'only the edges may import http/' }],
    },
    {
      filename: src('claims/service.ts'),
      code: "import { x } from '../runtime/index.js';",
      errors: 1,
    },
    {
      filename: src('kernel/errors.ts'),
      code: "import { x } from '../config/index.js';",
      errors: 1,
    },
    { filename: src('claims/service.ts'), code: "export * from '../auth/rules.js';", errors: 1 },
    {
      filename: src('claims/service.ts'),
      code: "import x from '../../test/support/harness.js';",
      errors: [{ message: 'src/ must not import files outside src/' }],
    },
  ],
});
