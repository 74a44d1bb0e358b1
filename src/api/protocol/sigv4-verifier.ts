import { createHash, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Hash } from '@smithy/hash-node';
import {
  IncompleteSignatureException,
  InvalidSignatureException,
  MissingAuthenticationTokenException,
  UnrecognizedClientException,
} from '../errors/protocol-errors.js';

/** AWS refuses signatures whose date is more than five minutes from its clock. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export interface SignedRequest {
  method: string;
  /** Path with query string, as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Returns the secret for an access key id, or undefined when the key is unknown. */
export type SecretLookup = (accessKeyId: string) => string | undefined | Promise<string | undefined>;

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
  signedHeaders: string[];
  signature: string;
}

function parseAuthorization(header: string): ParsedAuthorization {
  const algorithm = 'AWS4-HMAC-SHA256 ';
  if (!header.startsWith(algorithm)) {
    throw new IncompleteSignatureException(`Authorization header requires the ${algorithm.trim()} algorithm.`);
  }
  const fields = new Map<string, string>();
  for (const part of header.slice(algorithm.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  for (const required of ['Credential', 'SignedHeaders', 'Signature']) {
    if (!fields.get(required)) {
      throw new IncompleteSignatureException(`Authorization header requires '${required}' parameter.`);
    }
  }
  const scope = fields.get('Credential')!.split('/');
  if (scope.length !== 5 || scope.some((s) => s.length === 0)) {
    throw new IncompleteSignatureException(
      "Credential should be scoped to a valid region, a service and a terminator: 'KEY/DATE/REGION/SERVICE/aws4_request'.",
    );
  }
  const [accessKeyId, date, region, service, terminator] = scope as [string, string, string, string, string];
  const signature = fields.get('Signature')!;
  if (!/^[0-9a-f]{64}$/.test(signature)) throw new InvalidSignatureException('The request signature is malformed.');
  return {
    accessKeyId,
    date,
    region,
    service,
    terminator,
    signedHeaders: fields.get('SignedHeaders')!.split(';').map((h) => h.trim().toLowerCase()),
    signature,
  };
}

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(',') : value);

/** `20240102T030405Z` → Date, or undefined when malformed. */
function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const date = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const amzDate = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/**
 * Verifies an AWS Signature V4 header the way AWS does: recompute the signature with the SDK's own
 * signer over exactly the headers the client signed, compare in constant time, and enforce the
 * credential scope and the clock-skew window. Returns the caller's access key id.
 *
 * DEVIATION: only the Authorization-header form is accepted; presigned query strings are not
 * (no Cognito client sends them for the JSON API).
 */
export async function verifySigV4(
  request: SignedRequest,
  expectedService: string,
  lookupSecret: SecretLookup,
  now: Date,
): Promise<{ accessKeyId: string }> {
  const authorization = single(request.headers.authorization);
  if (!authorization) throw new MissingAuthenticationTokenException('Missing Authentication Token');
  const auth = parseAuthorization(authorization);

  const dateHeader = single(request.headers['x-amz-date']);
  if (!dateHeader || !auth.signedHeaders.includes('x-amz-date')) {
    throw new IncompleteSignatureException("Authorization header requires existence of a signed 'X-Amz-Date' header.");
  }
  const signingDate = parseAmzDate(dateHeader);
  if (!signingDate) throw new IncompleteSignatureException(`Date must be in ISO-8601 'basic format'. Got '${dateHeader}'.`);
  if (!auth.signedHeaders.includes('host')) {
    throw new IncompleteSignatureException("'Host' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (auth.terminator !== 'aws4_request') {
    throw new InvalidSignatureException(`Credential should be scoped with a valid terminator: 'aws4_request', not '${auth.terminator}'.`);
  }
  if (auth.date !== dateHeader.slice(0, 8)) {
    throw new InvalidSignatureException(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${dateHeader.slice(0, 8)}', from '${dateHeader}'.`,
    );
  }
  if (auth.service !== expectedService) {
    throw new InvalidSignatureException(`Credential should be scoped to correct service: '${expectedService}'. `);
  }

  const skew = signingDate.getTime() - now.getTime();
  if (skew < -MAX_CLOCK_SKEW_MS) {
    throw new InvalidSignatureException(
      `Signature expired: ${dateHeader} is now earlier than ${amzDate(new Date(now.getTime() - MAX_CLOCK_SKEW_MS))} (${amzDate(now)} - 5 min.)`,
    );
  }
  if (skew > MAX_CLOCK_SKEW_MS) {
    throw new InvalidSignatureException(
      `Signature not yet current: ${dateHeader} is still later than ${amzDate(new Date(now.getTime() + MAX_CLOCK_SKEW_MS))} (${amzDate(now)} + 5 min.)`,
    );
  }

  const secretAccessKey = await lookupSecret(auth.accessKeyId);
  if (secretAccessKey === undefined) {
    throw new UnrecognizedClientException('The security token included in the request is invalid.');
  }

  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = single(request.headers[name]);
    if (value === undefined) throw new InvalidSignatureException(signatureMismatch);
    headers[name] = value;
  }
  // The signer trusts a supplied payload hash instead of hashing the body, so a body swapped after
  // signing would pass unless the header is checked against the bytes that actually arrived.
  const claimedPayloadHash = headers['x-amz-content-sha256'];
  if (claimedPayloadHash !== undefined && claimedPayloadHash !== createHash('sha256').update(request.body, 'utf8').digest('hex')) {
    throw new InvalidSignatureException("The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  const queryStart = request.url.indexOf('?');
  const path = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
  const query: Record<string, string | string[]> = {};
  if (queryStart !== -1) {
    for (const [key, value] of new URLSearchParams(request.url.slice(queryStart + 1))) {
      const prior = query[key];
      query[key] = prior === undefined ? value : ([] as string[]).concat(prior, value);
    }
  }

  const signer = new SignatureV4({
    service: auth.service,
    region: auth.region,
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey },
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
  const signed = await signer.sign(
    new HttpRequest({ method: request.method, protocol: 'http:', hostname: headers.host, path, query, headers, body: request.body }),
    { signingDate, signableHeaders: new Set(auth.signedHeaders) },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization ?? signed.headers.Authorization))?.[1];
  if (!expected || !timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(auth.signature, 'hex'))) {
    throw new InvalidSignatureException(signatureMismatch);
  }
  return { accessKeyId: auth.accessKeyId };
}

const signatureMismatch =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
