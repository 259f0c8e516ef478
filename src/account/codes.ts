// One-time sign-in codes: 6 digits from otplib's CSPRNG-seeded HOTP, stored as a sha256 hash and
// consumed on use (otplib alone would accept a code again within its time step).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { generate, generateSecret } from 'otplib';

export const CODE_TTL_MS = 10 * 60 * 1000;
export const MAX_WRONG_CODES = 5;
export const RESEND_INTERVAL_MS = 60 * 1000;

export async function newSignInCode(): Promise<string> {
  // A fresh random secret and counter per code: the code is 6 digits of HOTP over random input.
  const secret = generateSecret();
  return generate({ secret, strategy: 'hotp', counter: randomBytes(4).readUInt32BE(0), digits: 6 });
}

export function hashSecret(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function secretMatches(storedHash: string, candidate: string): boolean {
  const a = Buffer.from(storedHash, 'hex');
  const b = Buffer.from(hashSecret(candidate), 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
