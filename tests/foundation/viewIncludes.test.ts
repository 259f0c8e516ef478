// Every include in the views names its file from views/ (`include('/partials/csrf')`): EJS resolves such a name
// without touching the disk, where a relative one costs an existsSync per include on every render (views/partials/
// README.md). And every include names a file that exists.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const VIEWS = path.resolve(import.meta.dirname, '../../views');
const files = (readdirSync(VIEWS, { recursive: true }) as string[]).filter((f) => f.endsWith('.ejs'));

describe('view includes', () => {
  it('are written from views/ and name files that exist', () => {
    const problems: string[] = [];
    for (const file of files) {
      const text = readFileSync(path.join(VIEWS, file), 'utf8');
      for (const m of text.matchAll(/include\(\s*(['"])([^'"]*)\1/g)) {
        const name = m[2];
        if (!name.startsWith('/')) problems.push(`${file}: include('${name}…') is relative`);
        else if (!/\+\s*$/.test(text.slice(m.index + m[0].length, m.index + m[0].length + 3))) {
          const target = path.join(VIEWS, name.endsWith('.ejs') ? name : `${name}.ejs`);
          if (!existsSync(target)) problems.push(`${file}: ${name} does not exist`);
        }
      }
    }
    expect(files.length).toBeGreaterThan(50);
    expect(problems).toEqual([]);
  });
});
