// The raw (unscoped) Prisma client stays out of reach: handlers get req.db, the request's scoped
// client, and only the files below may reach the raw client, each for the reason it names. The
// source tree is parsed (so comments and strings never count), and the
// route table is checked: every route with an :id names its loader on its line.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAst } from 'vite';
import { describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/deps.ts';
import { allRoutes } from '../../src/domains.ts';
import { isLoader } from '../../src/web/loader.ts';

const SRC = path.resolve(import.meta.dirname, '../../src');

/** Files allowed to call unscoped(…), and the reasons each may give. */
const UNSCOPED_ALLOWED: Record<string, string[]> = {
  'account/signIn.ts': ['sign-in'],
  'account/passwordReset.ts': ['password reset'],
  'account/profile.ts': ['current user'],
  'app.ts': ['current user', 'tenancy scope'],
  'appointment/overlap.ts': ['appointment overlap'],
  'cli/createSuperuser.ts': ['cli'],
  'cli/seed.ts': ['cli'],
  'server.ts': ['startup'],
  // Staff read a lead's or customer's own status, owner and conversion entries (the audit trail is not theirs),
  // only for the record the route's loader already found in their scope (src/timeline/changes.ts).
  'timeline/changes.ts': ['record timeline'],
  // Dashboards and reports group deals by month in the user's zone, which Prisma cannot write: raw SQL whose
  // company and assignee conditions come from the access core (readScopeSql in src/access/scope.ts).
  'pipeline/figures.ts': ['pipeline figures'],
  // A calendar app sends a token, not a session: its hash finds the user, then loaded and scoped as when signed in.
  'calendar/feed.ts': ['calendar feed'],
  // An API request sends a bearer token, not a session: the same, through the token's hash (issue 17).
  'api/auth.ts': ['api token'],
  // Due reminders are claimed across companies; each mail's reader is then loaded and checked as when signed in.
  'reminder/schedule.ts': ['reminders'],
  // An import's rows are written (and undone) in set-based SQL, which the scoped client refuses: the job and the
  // undo name the import's company in every statement, and touch only ids the import recorded (src/import).
  'import/run.ts': ['import'],
  'import/undo.ts': ['import'],
  // A webhook delivery runs in the job queue, outside any request: it reads the endpoint it was enqueued for and
  // writes that endpoint's delivery log, by the ids the job carries (src/webhook/deliver.ts).
  'webhook/deliver.ts': ['webhook delivery'],
};
/**
 * Files allowed to run raw SQL on a scoped transaction through rawSqlIn(reason, …) (src/db/client.ts), and
 * the reasons each may give. The job queue: pg-boss inserts its job row in the write's own transaction (the
 * outbox: a rolled-back change enqueues nothing), a statement of pg-boss's own text on its own tables.
 */
const RAW_SQL_ALLOWED: Record<string, string[]> = {
  'jobs/queue.ts': ['job queue'],
  // Trigram similarity (which Prisma cannot write) under readScopeSql's conditions, on the request's scoped client.
  'duplicate/detect.ts': ['duplicate detection'],
};
/** Files that may touch `.prisma` (the Database's raw client): only where unscoped() is defined. */
const PRISMA_PROPERTY_ALLOWED = ['db/client.ts'];
/**
 * Files that may import PrismaClient: the client's wiring, the scope core, and code handed a raw client by an allowed
 * caller.
 */
const PRISMA_IMPORT_ALLOWED = [
  'db/client.ts',
  'access/scope.ts',
  'access/currentUser.ts',
  'web/auth.ts',
  'account/queries.ts',
  'account/passwordReset.ts',
  'seed/builders.ts',
  'seed/bulk.ts',
  'seed/demo.ts',
  'reminder/sweep.ts', // handed the 'reminders' client by reminder/schedule.ts
  'reminder/queries.ts', // handed the 'current user' client by account/profile.ts
  'reminder/writes.ts', // handed the 'current user' client by account/profile.ts
  'user/writes.ts', // a type only: the invitation token is written through the scoped transaction
];
/** Only the scope core and the cache build scoped clients from a raw one. */
const SCOPE_CALL_ALLOWED = ['access/scope.ts'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

type Finding = { file: string; line: number; what: string };

type Node = { type: string; start: number; [key: string]: unknown };
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && typeof (v as Node).type === 'string';
const nameOf = (n: unknown) =>
  isNode(n) ? (n.type === 'Identifier' ? n.name : n.type === 'Literal' ? n.value : undefined) : undefined;

/** Every way a file reaches the raw client, found in its syntax tree (vite's parser, TypeScript syntax). */
export function rawClientUses(file: string, text: string): Finding[] {
  const found: Finding[] = [];
  const at = (node: Node, what: string) =>
    found.push({ file, line: text.slice(0, node.start).split('\n').length, what });
  const visit = (node: Node, parent: Node | null) => {
    if (node.type === 'MemberExpression' && nameOf(node.property) === 'prisma') at(node, '.prisma');
    if (node.type === 'Property' && parent?.type === 'ObjectPattern' && nameOf(node.key) === 'prisma')
      at(node, '.prisma');
    if (node.type === 'CallExpression' && nameOf(node.callee) === 'unscoped') {
      const reason = (node.arguments as unknown[])[1];
      at(node, `unscoped(${isNode(reason) && typeof reason.value === 'string' ? reason.value : '?'})`);
    }
    if (node.type === 'CallExpression' && nameOf(node.callee) === 'rawSqlIn') {
      const reason = (node.arguments as unknown[])[0];
      at(node, `rawSqlIn(${isNode(reason) && typeof reason.value === 'string' ? reason.value : '?'})`);
    }
    if (node.type === 'CallExpression' && nameOf(node.callee) === 'scope') at(node, 'scope(');
    if (node.type === 'NewExpression' && nameOf(node.callee) === 'PrismaClient') at(node, 'new PrismaClient');
    if (node.type === 'ImportDeclaration' && /generated\/prisma\/client/.test(String(nameOf(node.source)))) {
      const names = (node.specifiers as Node[]).map((sp) =>
        sp.type === 'ImportSpecifier' ? nameOf(sp.imported) : '*',
      );
      if (names.includes('PrismaClient') || names.includes('*')) at(node, 'import PrismaClient');
    }
    for (const value of Object.values(node)) {
      for (const child of Array.isArray(value) ? value : [value]) if (isNode(child)) visit(child, node);
    }
  };
  visit(parseAst(text, { lang: 'ts' }) as unknown as Node, null);
  return found;
}

/** What a file may not do, by the allow-lists. */
export function rawClientProblems(rel: string, text: string): string[] {
  return rawClientUses(rel, text).flatMap(({ line, what }) => {
    const where = `${rel}:${line} ${what}`;
    if (what === '.prisma') return PRISMA_PROPERTY_ALLOWED.includes(rel) ? [] : [where];
    if (what === 'scope(') return SCOPE_CALL_ALLOWED.includes(rel) ? [] : [where];
    if (what === 'import PrismaClient' || what === 'new PrismaClient')
      return PRISMA_IMPORT_ALLOWED.includes(rel) ? [] : [where];
    if (what.startsWith('rawSqlIn(')) return RAW_SQL_ALLOWED[rel]?.includes(what.slice(9, -1)) ? [] : [where];
    const reason = what.slice('unscoped('.length, -1);
    return UNSCOPED_ALLOWED[rel]?.includes(reason) ? [] : [where];
  });
}

describe('the raw client', () => {
  it('is reached only by the allow-listed files, through unscoped(reason)', () => {
    const problems = sourceFiles(SRC).flatMap((f) =>
      rawClientProblems(path.relative(SRC, f).split(path.sep).join('/'), readFileSync(f, 'utf8')),
    );
    expect(problems).toEqual([]);
  });

  it('is found however a handler would reach it (the check can fail)', () => {
    const handler = [
      "import { PrismaClient } from '../generated/prisma/client.ts';",
      'export const h = async (req, res) => {',
      '  await deps.db.prisma.lead.findMany();',
      "  const raw = unscoped(deps.db, 'sign-in');",
      '  const s = scope(raw, req.user);',
      '  const { prisma } = deps.db;',
      "  const again = deps.db['prisma'];",
      "  await rawSqlIn('job queue', () => tx.$queryRawUnsafe('DELETE FROM lead'));",
      '};',
    ].join('\n');
    expect(rawClientProblems('lead/handlers.ts', handler)).toEqual([
      'lead/handlers.ts:1 import PrismaClient',
      'lead/handlers.ts:3 .prisma',
      'lead/handlers.ts:4 unscoped(sign-in)',
      'lead/handlers.ts:5 scope(',
      'lead/handlers.ts:6 .prisma',
      'lead/handlers.ts:7 .prisma',
      'lead/handlers.ts:8 rawSqlIn(job queue)',
    ]);
    // A reason the file is not allowed: refused even in an allowed file.
    expect(rawClientProblems('appointment/overlap.ts', "unscoped(deps.db, 'cli')")).toEqual([
      'appointment/overlap.ts:1 unscoped(cli)',
    ]);
    // Comments and strings do not count.
    expect(rawClientProblems('lead/handlers.ts', "// deps.db.prisma\nconst s = 'db.prisma';")).toEqual([]);
  });
});

describe('route loaders', () => {
  it('cover every route with an :id: the loader is on the route line, before the handler', () => {
    const routes = allRoutes({
      db: { prisma: {}, pool: {} },
      config: {},
      throttles: {},
      sessionSecret: 'x',
    } as unknown as AppDeps);
    const missing = routes
      .filter((r) => /\/:id(\/|$)/.test(r.path))
      .filter((r) => !isLoader(r.handlers[0]) || r.handlers.slice(1).some(isLoader))
      .map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(missing).toEqual([]);
    expect(routes.filter((r) => isLoader(r.handlers[0])).length).toBeGreaterThan(40);
  });
});
