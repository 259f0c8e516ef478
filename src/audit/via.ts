// Which way a change came in, when not through the pages: the API names its token (src/api/auth.ts), and every
// audit entry written while that request runs carries it (recordAudit reads it), so writes need not pass it on.
import { AsyncLocalStorage } from 'node:async_hooks';

const via = new AsyncLocalStorage<string>();

/** Runs `work` (the rest of the request) with every audit entry marked as made through `label`. */
export const auditVia = <T>(label: string, work: () => T): T => via.run(label, work);

/** The current request's way in, or undefined for the pages. */
export const currentVia = (): string | undefined => via.getStore();
