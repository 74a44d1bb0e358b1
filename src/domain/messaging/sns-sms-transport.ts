import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Hash } from '@smithy/hash-node';
import { DeliveryError, type OutgoingSms, type SmsTransport } from './transports.js';

export interface SnsTarget {
  endpoint: URL;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * FRONTDESK_SMS_SNS_URL: `https://<access key id>:<secret>@sns.<region>.amazonaws.com` (or any
 * SNS-compatible endpoint, with `?region=` when the host does not name it). Credentials are
 * percent-decoded from the user-info and never appear in errors.
 */
export function snsTargetFromUrl(raw: string): SnsTarget {
  const url = new URL(raw);
  const accessKeyId = decodeURIComponent(url.username);
  const secretAccessKey = decodeURIComponent(url.password);
  const region = url.searchParams.get('region') ?? url.hostname.match(/^sns[.-]([a-z0-9-]+)\.amazonaws\.com$/)?.[1] ?? 'us-east-1';
  const endpoint = new URL(url.toString());
  endpoint.username = '';
  endpoint.password = '';
  endpoint.search = '';
  return { endpoint, region, accessKeyId, secretAccessKey };
}

/**
 * Sends each SMS with Amazon SNS's Publish action (Query API, form-encoded, SigV4 for service
 * `sns`) as a Transactional message — what Cognito itself does through SNS. One attempt; any 2xx
 * is success; redirects are refused, so the message goes nowhere but the configured endpoint.
 */
export class SnsSmsTransport implements SmsTransport {
  private readonly target: SnsTarget;
  private readonly signer: SignatureV4;

  constructor(snsUrl: string, private readonly timeoutMs = 10_000) {
    this.target = snsTargetFromUrl(snsUrl);
    this.signer = new SignatureV4({
      service: 'sns',
      region: this.target.region,
      credentials: { accessKeyId: this.target.accessKeyId, secretAccessKey: this.target.secretAccessKey },
      sha256: Hash.bind(null, 'sha256'),
    });
  }

  async send(sms: OutgoingSms): Promise<void> {
    const body = new URLSearchParams({
      Action: 'Publish',
      Version: '2010-03-31',
      PhoneNumber: sms.to,
      Message: sms.body,
      'MessageAttributes.entry.1.Name': 'AWS.SNS.SMS.SMSType',
      'MessageAttributes.entry.1.Value.DataType': 'String',
      'MessageAttributes.entry.1.Value.StringValue': 'Transactional',
    }).toString();
    const { endpoint } = this.target;
    const request = new HttpRequest({
      method: 'POST',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
      path: endpoint.pathname || '/',
      headers: { host: endpoint.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
    });
    const signed = await this.signer.sign(request);
    let response: Response;
    try {
      response = await fetch(endpoint.toString(), {
        method: 'POST',
        headers: signed.headers,
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new DeliveryError(`SMS via SNS: no answer within ${this.timeoutMs} ms`);
      const code = (error as { cause?: { code?: unknown } }).cause?.code;
      throw new DeliveryError(`SMS via SNS: ${typeof code === 'string' ? code : 'request failed'}`);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) {
      // SNS's error code (<Code>…</Code>) says why without echoing anything secret.
      const code = text.match(/<Code>([A-Za-z.]{1,64})<\/Code>/)?.[1];
      throw new DeliveryError(`SMS via SNS answered HTTP ${response.status}${code ? ` ${code}` : ''}`);
    }
  }
}
