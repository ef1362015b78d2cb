import { Request } from 'express';

/**
 * Longest Authorization header (and ?access_token=) we read: our HS256 tokens are a few hundred bytes,
 * and refusing early keeps one request from spending the event loop on a huge header.
 */
export const MAX_TOKEN_HEADER_LENGTH = 4096;

// Anchored, and the token's characters (RFC 6750 b64token) exclude the padding that follows, so a
// match costs one pass over the header.
const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/** The token of `Authorization: Bearer <token>`, or null when the header is absent, malformed or too long. */
export function bearerToken(header: string | undefined): string | null {
  if (!header || header.length > MAX_TOKEN_HEADER_LENGTH) return null;
  return BEARER.exec(header)?.[1] ?? null;
}

export const isOversizedAuthorization = (req: Request) =>
  (req.headers.authorization?.length ?? 0) > MAX_TOKEN_HEADER_LENGTH;

/** `?access_token=` when it is given once; repeated or nested spellings are refused. */
export function queryToken(req: Request): string | null {
  const token = (req.query as Record<string, unknown>).access_token;
  return typeof token === 'string' && token.length > 0 && token.length <= MAX_TOKEN_HEADER_LENGTH ? token : null;
}
