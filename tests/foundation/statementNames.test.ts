// Prepared statements (src/db/client.ts): one name per statement text, searches left unnamed, a cap on how
// many texts are named. Every other test runs the app's statements named, on a real PostgreSQL.
import { describe, expect, it } from 'vitest';
import { statementNamer } from '../../src/db/client.ts';

describe('statement names', () => {
  it('names a text the same each time, leaves LIKE and ILIKE searches unnamed, and stops at the cap', () => {
    const name = statementNamer(2);
    const a = 'SELECT "id" FROM "Lead" WHERE "companyId" = $1';
    expect(name({ sql: a })).toMatch(/^prisma_[\w-]+$/);
    expect(name({ sql: a })).toBe(name({ sql: a }));
    expect(name({ sql: 'SELECT 1 FROM "Lead" WHERE "searchText"::text LIKE $1' })).toBeUndefined();
    expect(name({ sql: 'SELECT 1 FROM "Customer" WHERE "name" ILIKE $1' })).toBeUndefined();
    const b = name({ sql: 'SELECT 2' });
    expect(b).toBeDefined();
    expect(b).not.toBe(name({ sql: a }));
    expect(name({ sql: 'SELECT 3' })).toBeUndefined(); // past the cap of 2
    expect(name({ sql: a })).toBeDefined(); // a named text keeps its name
  });
});
