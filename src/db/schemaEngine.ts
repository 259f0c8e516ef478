// Prisma's WebAssembly schema engine, driven through @prisma/adapter-pg.
// The Prisma CLI would download a native schema-engine binary, which these machines (and a
// user's offline server) cannot do; the wasm build ships inside an npm package.
// Plain `import '@prisma/schema-engine-wasm'` fails on Node 20 (it imports a .wasm file), so the
// module is instantiated here by hand, as its own entry file would do.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';

type Engine = Awaited<ReturnType<typeof bindings.SchemaEngine.new>>;

type WasmApi = {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, unknown>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

let loaded: Promise<void> | undefined;

function loadWasm(): Promise<void> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
    const bytes = await readFile(path.join(dir, 'schema_engine_bg.wasm'));
    // WebAssembly is a Node global; its types live in lib.dom, which this project does not load.
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const { instance } = await wasm.instantiate(bytes, { './schema_engine_bg.js': bindings });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  })();
  return loaded;
}

export const SCHEMA_PATH = path.resolve(import.meta.dirname, '../../prisma/schema.prisma');

/**
 * @prisma/adapter-pg runs a script by splitting it on every `;` (breaking a `;` inside a string
 * or a `$$` body) and sends the pieces one by one, so a failing migration leaves its first
 * statements applied. The Prisma CLI sends a migration as one simple-protocol query, which
 * PostgreSQL runs as one implicit transaction: all or nothing. Do the same.
 */
function wholeScriptAdapter(pool: pg.Pool): PrismaPg {
  const factory = new PrismaPg(pool);
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const raise = (adapter as unknown as { onError(error: unknown): never }).onError.bind(adapter);
    adapter.executeScript = async (script: string) => {
      try {
        await adapter.underlyingDriver().query(script);
      } catch (error) {
        raise(error);
      }
    };
    return adapter;
  };
  return factory;
}

/** Runs fn with a schema engine connected to the database at `url`. */
export async function withSchemaEngine<T>(
  url: string,
  fn: (engine: Engine) => Promise<T>,
  log: (line: string) => void = () => {},
): Promise<T> {
  await loadWasm();
  const schemaText = await readFile(SCHEMA_PATH, 'utf8');
  // Our own pool, ended afterwards: the engine would otherwise keep its connections open.
  // One connection that never idles out: the engine's advisory lock (taken with
  // pg_advisory_lock, which belongs to a session) then covers the whole run.
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 5000, max: 1, idleTimeoutMillis: 0 });
  pool.on('error', () => {});
  const adapter = bindMigrationAwareSqlAdapterFactory(wholeScriptAdapter(pool));
  const engine = await bindings.SchemaEngine.new(
    { datamodels: [[SCHEMA_PATH, schemaText]] },
    (line: string) => log(line),
    adapter,
  );
  try {
    return await fn(engine);
  } finally {
    engine.free();
    await pool.end();
  }
}
