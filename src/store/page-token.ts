/**
 * Opaque pagination tokens: the sort key of the last row returned, base64url-encoded.
 * Decoding a token that was not produced here yields undefined, never an exception.
 */
export function encodePageToken(lastKey: string): string {
  return Buffer.from(JSON.stringify({ k: lastKey }), 'utf8').toString('base64url');
}

export function decodePageToken(token: string): string | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { k?: unknown };
    return typeof parsed.k === 'string' ? parsed.k : undefined;
  } catch {
    return undefined;
  }
}
