import { unescape } from 'querystring';

/** Query parameters that carry credentials, compared without case, punctuation or encoding. */
const SECRET_PARAMS = new Set([
  'accesstoken',
  'xapikey',
  'apikey',
  'token',
  'authorization',
  'idtoken',
  'refreshtoken',
]);
/** Enough rounds of decoding for double-encoded names (`access%255Ftoken`); more is not a spelling anyone uses. */
const DECODE_ROUNDS = 3;

function normalizedName(raw: string): string {
  let name = raw.replace(/\+/g, ' ');
  for (let i = 0; i < DECODE_ROUNDS && name.includes('%'); i++) name = unescape(name);
  return name
    .replace(/\[.*$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * The URL as logged: the value of every credential parameter, in every spelling (repeated,
 * percent-encoded, any case, `name[]`), is replaced; everything else is kept as sent.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return SECRET_PARAMS.has(normalizedName(name)) ? `${name}=[Redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, q)}?${query}`;
}
