// Command-line tools run against DATABASE_URL, or the embedded database when it is unset.
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { startEmbeddedPostgres } from '../db/embedded.ts';

export async function withDatabaseUrl<T>(fn: (url: string, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  if (config.databaseUrl) return fn(config.databaseUrl, config);
  const embedded = await startEmbeddedPostgres(config.dataDir, (m) => console.error(m));
  try {
    return await fn(embedded.url, config);
  } finally {
    await embedded.stop();
  }
}

/** Prints one clear line for expected failures, a stack only for bugs. */
export function runCli(main: () => Promise<number | void>): void {
  main().then(
    (code) => process.exit(code ?? 0),
    (err: unknown) => {
      if (err instanceof ConfigError || (err instanceof Error && (err as { expected?: boolean }).expected)) {
        console.error(err.message);
      } else if (err instanceof Error && err.name === 'MigrationError') {
        console.error(`Migration failed: ${err.message}`);
      } else {
        console.error(err);
      }
      process.exit(1);
    },
  );
}
