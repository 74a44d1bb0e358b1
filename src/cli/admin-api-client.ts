import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Hash } from '@smithy/hash-node';

// A small SigV4-signing client for the CLI's calls to a running Frontdesk server: the AWS SDK's
// own signer, the admin credentials from the usual AWS_* variables, and Cognito-shaped errors
// turned into readable exceptions.

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:9330';

export class AdminApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number,
  ) {
    super(`${type}: ${message}`);
  }
}

export interface AdminApiOptions {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
}

export class AdminApiClient {
  private readonly signer: SignatureV4;
  private readonly url: URL;

  constructor(options: AdminApiOptions) {
    this.url = new URL(options.endpoint);
    this.signer = new SignatureV4({
      service: 'cognito-idp',
      region: options.region,
      credentials: {
        accessKeyId: options.accessKeyId,
        secretAccessKey: options.secretAccessKey,
        ...(options.sessionToken ? { sessionToken: options.sessionToken } : {}),
      },
      sha256: Hash.bind(null, 'sha256'),
    });
  }

  /** Calls `<target>` (e.g. `FrontdeskAdmin.ExportUsers`) with a JSON body given as text. */
  async call<T>(target: string, body: string): Promise<T> {
    const request = new HttpRequest({
      method: 'POST',
      protocol: this.url.protocol,
      hostname: this.url.hostname,
      ...(this.url.port ? { port: Number(this.url.port) } : {}),
      path: this.url.pathname || '/',
      headers: { host: this.url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
      body,
    });
    const signed = await this.signer.sign(request);
    const response = await fetch(this.url, { method: 'POST', headers: signed.headers as Record<string, string>, body });
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      throw new AdminApiError('InvalidResponse', `the server answered HTTP ${response.status} with a body that is not JSON`, response.status);
    }
    if (!response.ok) {
      const type = String(parsed.__type ?? response.headers.get('x-amzn-errortype') ?? `HTTP${response.status}`).split(':')[0]!.split('#').at(-1)!;
      throw new AdminApiError(type, String(parsed.message ?? parsed.Message ?? ''), response.status);
    }
    return parsed as T;
  }
}

/** The client for the CLI's flags and environment: --endpoint, FRONTDESK_ENDPOINT, AWS_*. */
export function adminApiClientFrom(endpointFlag: string | undefined, env: NodeJS.ProcessEnv): AdminApiClient {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error('set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to the server\'s admin credentials');
  }
  return new AdminApiClient({
    endpoint: endpointFlag ?? env.FRONTDESK_ENDPOINT ?? DEFAULT_ENDPOINT,
    accessKeyId,
    secretAccessKey,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
  });
}
