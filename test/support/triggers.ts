import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import type { TestServer } from './test-server.js';
import { rawCall, type RawResponse } from './signed-fetch.js';

// Helpers for test/triggers-*.test.ts: the function registry through FrontdeskAdmin, and real
// webhook receivers (node:http) that check the Standard Webhooks signature independently of
// Frontdesk's own code.

export const FIXTURES = fileURLToPath(new URL('../fixtures/triggers/', import.meta.url));
export const fixture = (name: string) => FIXTURES + name;

export const arnOf = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

export const hasPython = spawnSync('python3', ['--version']).status === 0;

/** A FrontdeskAdmin call signed with the admin credentials. */
export async function adminCall(server: TestServer, operation: string, input: object): Promise<RawResponse> {
  return rawCall(server.url, `FrontdeskAdmin.${operation}`, JSON.stringify(input), { credentials: server.admin });
}

/** PutFunction that must succeed; answers with the WebhookSecret when one was issued. */
export async function putFunction(server: TestServer, input: object): Promise<{ Function: any; WebhookSecret?: string }> {
  const response = await adminCall(server, 'PutFunction', input);
  if (response.status !== 200) throw new Error(`PutFunction failed: ${response.text}`);
  return response.body;
}

export interface ReceivedCall {
  headers: IncomingHttpHeaders;
  body: string;
  event: any;
  signatureValid: boolean;
}

export type WebhookReply = { status?: number; body?: unknown; raw?: string; delayMs?: number } | undefined;

/** A real HTTP server standing in for a Lambda function behind a webhook. */
export class WebhookReceiver {
  readonly calls: ReceivedCall[] = [];
  secret = '';
  private server!: Server;
  url = '';

  constructor(private readonly reply: (event: any, call: ReceivedCall) => WebhookReply | Promise<WebhookReply>) {}

  static async start(reply: (event: any, call: ReceivedCall) => WebhookReply | Promise<WebhookReply>): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(reply);
    receiver.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const call: ReceivedCall = { headers: request.headers, body, event: JSON.parse(body), signatureValid: receiver.verify(request.headers, body) };
        receiver.calls.push(call);
        const answer: NonNullable<WebhookReply> = (await receiver.reply(JSON.parse(body), call)) ?? { body: call.event };
        if (answer.delayMs) await new Promise((done) => setTimeout(done, answer.delayMs));
        if (response.destroyed) return;
        response.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
        response.end(answer.raw ?? JSON.stringify(answer.body ?? call.event));
      });
    });
    await new Promise<void>((done) => receiver.server.listen(0, '127.0.0.1', done));
    receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/hook`;
    return receiver;
  }

  /** Standard Webhooks verification, written out here rather than borrowed from Frontdesk. */
  private verify(headers: IncomingHttpHeaders, body: string): boolean {
    if (!this.secret) return false;
    const id = headers['webhook-id'];
    const timestamp = headers['webhook-timestamp'];
    const signatures = headers['webhook-signature'];
    if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return false;
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
    const key = Buffer.from(this.secret.replace(/^whsec_/, ''), 'base64');
    const expected = Buffer.from(createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64'));
    return signatures.split(' ').some((entry) => {
      const [version, signature] = entry.split(',');
      const given = Buffer.from(signature ?? '');
      return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
    });
  }

  /** Registers this receiver as the function `arn` and keeps the secret for verification. */
  async register(server: TestServer, arn: string, extra: object = {}): Promise<void> {
    const { WebhookSecret } = await putFunction(server, { FunctionArn: arn, Webhook: { Url: this.url }, ...extra });
    if (WebhookSecret) this.secret = WebhookSecret;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }
}

/** Events the in-process fixture modules recorded (they share the test's process). */
export function moduleEvents(): { event: any; functionName: string; remaining: number }[] {
  return ((globalThis as Record<string, unknown>).__frontdeskTriggerEvents ??= []) as never;
}
