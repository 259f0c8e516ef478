// Every "may this user…" question is a named function in src/access/policy.ts (can, seesOthersRows,
// choosesCompany, canAssignLeads, canConvertLead…), used by routes, handlers and templates alike
// (templates get them as `policy`). So no file outside src/access compares a role with a role name,
// checks a role list, or switches on a role: a rule restated in a handler or a view drifts from the one
// the route enforces. Comparing two users' roles (an audit diff, "did the role change?") is data, not policy.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ROLE = String.raw`['"\x60](?:SUPERUSER|ACCOUNT_MANAGER|STAFF)['"\x60]`;
const RULES: [string, RegExp][] = [
  ['compares with a role name', new RegExp(String.raw`[!=]==?\s*${ROLE}|${ROLE}\s*[!=]==?`)],
  ['checks a role list', /\.includes\(\s*[\w.?!]*\.role\s*\)/],
  ['switches on a role', /switch\s*\(\s*[\w.?!]*\.role\s*\)/],
];

function files(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : files(full, ext);
    return e.name.endsWith(ext) ? [full] : [];
  });
}

/** `file:line: what` for every role comparison in `sources` (paths relative to the project root). */
function roleComparisons(sources: string[]): string[] {
  return sources.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) =>
        RULES.filter(([, re]) => re.test(line)).map(([what]) => `${path.relative(ROOT, file)}:${i + 1}: ${what}`),
      ),
  );
}

describe('policy: no role comparisons outside src/access', () => {
  it('src (outside src/access) and views ask named policy functions instead of comparing roles', () => {
    const access = path.join(ROOT, 'src/access') + path.sep;
    const sources = [
      ...files(path.join(ROOT, 'src'), '.ts').filter((f) => !f.startsWith(access)),
      ...files(path.join(ROOT, 'views'), '.ejs'),
    ];
    expect(sources.length).toBeGreaterThan(50);
    expect(roleComparisons(sources)).toEqual([]);
  });

  it('the check sees what it forbids', () => {
    const policy = path.join(ROOT, 'src/access/policy.ts');
    expect(roleComparisons([policy]).length).toBeGreaterThan(0);
  });
});
