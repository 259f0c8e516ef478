// An instant as SQL compares it with the schema's times: Prisma's DateTime columns are `timestamp(3)` without a
// zone, holding UTC, so a bound instant is turned into that (whatever the session's TimeZone).
import { Prisma } from '../generated/prisma/client.ts';

export const utcInstant = (d: Date) => Prisma.sql`(${d.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
