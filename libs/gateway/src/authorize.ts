import { createHash, timingSafeEqual } from 'node:crypto';

export type AuthFailure = 'missing' | 'malformed' | 'wrong';

// RFC 6750's b64token after the case-insensitive "Bearer" scheme.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Returns a check of an Authorization header against `token`. Both sides are hashed first so the
 * constant-time comparison always runs over equal lengths and leaks nothing about the token's length.
 */
export function bearerCheck(token: string): (authorization: string | undefined) => AuthFailure | undefined {
  if (!BEARER.test(`Bearer ${token}`)) {
    throw new Error('the gateway token must be a non-empty bearer token (letters, digits and -._~+/ only)');
  }
  const expected = digest(token);
  return (authorization) => {
    if (authorization === undefined || authorization.trim() === '') return 'missing';
    const match = BEARER.exec(authorization.trim());
    if (!match) return 'malformed';
    return timingSafeEqual(digest(match[1]), expected) ? undefined : 'wrong';
  };
}
