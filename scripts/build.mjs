// `npm run build` (run by `npm start`): compiles src/ to dist/ with TypeScript's own emit, so production
// runs plain JavaScript instead of loading tsx's on-the-fly compiler. dist/ is emptied first: a
// removed source file must not leave its old .js behind. Type errors are `npm run typecheck`'s job
// (--noCheck); `.ts` import specifiers become `.js` (rewriteRelativeImportExtensions).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
rmSync(path.join(root, 'dist'), { recursive: true, force: true });
const require = createRequire(import.meta.url);
const tsc = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--noCheck'], {
  cwd: root,
  stdio: 'inherit',
});
if (result.status !== 0) process.exit(result.status ?? 1);
await compilerAsFile();

/**
 * Prisma's generated client imports its query compiler as a module holding the WebAssembly as a 2.3 MB base64
 * string, which stays in the heap for the life of the process twice over (the module's source and the string:
 * 4.4 MB of the 56 MB a served app keeps live, measured in a heap snapshot). The compiled client reads the
 * same bytes from a .wasm file beside it instead. Prisma's generator has no option for this, so the emitted
 * line is rewritten; when a Prisma upgrade changes it, the build says so and leaves the client as generated
 * (tests/foundation/build.process.test.ts then fails: the build must print nothing).
 */
async function compilerAsFile() {
  const classFile = path.join(root, 'dist/generated/prisma/internal/class.js');
  const source = readFileSync(classFile, 'utf8');
  const load = new RegExp(
    String.raw`const \{ wasm \} = await import\("(@prisma/client/runtime/query_compiler_[\w.]+\.wasm-base64\.mjs)"\);` +
      String.raw`\s*return await decodeBase64AsWasm\(wasm\);`,
  );
  const found = load.exec(source);
  if (!found) {
    console.warn(`build: the Prisma client's query compiler import changed; ${classFile} is left as generated.`);
    return;
  }
  const { wasm } = await import(pathToFileURL(require.resolve(found[1], { paths: [root] })).href);
  writeFileSync(path.join(path.dirname(classFile), 'query_compiler.wasm'), Buffer.from(wasm, 'base64'));
  const read =
    'const { readFile } = await import("node:fs/promises");\n' +
    '        return new WebAssembly.Module(await readFile(new URL("./query_compiler.wasm", import.meta.url)));';
  writeFileSync(classFile, source.replace(load, read));
}
