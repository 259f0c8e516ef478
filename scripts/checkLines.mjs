// Fails when a line of the project's own text is longer than 120 characters. Biome formats and
// lints the TypeScript, but it wraps code only where it can (not strings) and does not read EJS,
// so this check covers what the formatter leaves: long strings, views, CSS, Markdown code.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const MAX = 120;
const ROOTS = ['src', 'tests', 'views', 'bench', 'scripts', 'public/js', 'public/css', 'prisma/schema.prisma'];
const SKIP = new Set(['generated', 'node_modules']);
const EXTENSIONS = /\.(ts|mjs|js|ejs|css|prisma)$/;

function* files(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isFile()) {
    if (EXTENSIONS.test(path)) yield path;
    return;
  }
  for (const name of readdirSync(path).sort()) if (!SKIP.has(name)) yield* files(join(path, name));
}

const long = [];
for (const root of ROOTS) {
  for (const file of files(root)) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        // Prisma's grammar has no line continuation: a block attribute (@@index) must stay on one line.
        if (file.endsWith('.prisma') && /^\s*@@/.test(line)) return;
        if (line.length > MAX) long.push(`${file}:${i + 1}: ${line.length} characters`);
      });
  }
}
if (long.length > 0) {
  console.error(`${long.length} lines are longer than ${MAX} characters:\n${long.join('\n')}`);
  process.exit(1);
}
