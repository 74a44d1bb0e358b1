import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Hash } from '@smithy/hash-node';

export interface RawResponse {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export interface RawCallOptions {
  credentials?: { accessKeyId: string; secretAccessKey: string };
  service?: string;
  signingDate?: Date;
  contentType?: string;
  /** Replaces the body after signing (to prove tampering is caught). */
  tamperBody?: string;
  path?: string;
}

/** One AWS JSON call with full control over signing, for protocol edge cases the SDK won't produce. */
export async function rawCall(baseUrl: string, target: string | undefined, body: string, options: RawCallOptions = {}): Promise<RawResponse> {
  const url = new URL(options.path ?? '/', baseUrl);
  let headers: Record<string, string> = {
    host: url.host,
    'content-type': options.contentType ?? 'application/x-amz-json-1.1',
  };
  if (target !== undefined) headers['x-amz-target'] = target;
  if (options.credentials) {
    const signer = new SignatureV4({
      service: options.service ?? 'cognito-idp',
      region: 'us-east-1',
      credentials: options.credentials,
      sha256: Hash.bind(null, 'sha256'),
    });
    const signed = await signer.sign(
      new HttpRequest({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, headers, body }),
      { signingDate: options.signingDate },
    );
    headers = signed.headers as Record<string, string>;
  }
  const response = await fetch(url, { method: 'POST', headers, body: options.tamperBody ?? body });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

export const IDP = 'AWSCognitoIdentityProviderService';
