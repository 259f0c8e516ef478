// `npm run build` (run by `npm start`): compiles src/ to dist/ with TypeScript's own emit, so production
// runs plain JavaScript instead of loading tsx's on-the-fly compiler. dist/ is emptied first: a
// removed source file must not leave its old .js behind. Type errors are `npm run typecheck`'s job
// (--noCheck); `.ts` import specifiers become `.js` (rewriteRelativeImportExtensions).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
rmSync(path.join(root, 'dist'), { recursive: true, force: true });
const tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--noCheck'], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
