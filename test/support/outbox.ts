import type { TestServer } from './test-server.js';
import { rawCall } from './signed-fetch.js';

export interface OutboxMessage {
  Destination: string;
  DeliveryMedium: 'EMAIL' | 'SMS';
  Subject?: string;
  Body: string;
  CreationDate: number;
}

/** The newest messages sent to a destination, read the way an administrator would: FrontdeskAdmin.ListMessages. */
export async function messagesTo(server: TestServer, destination: string): Promise<OutboxMessage[]> {
  const response = await rawCall(server.url, 'FrontdeskAdmin.ListMessages', JSON.stringify({ Destination: destination }), {
    credentials: server.admin,
  });
  if (response.status !== 200) throw new Error(`ListMessages failed: ${response.text}`);
  return response.body.Messages;
}

/** The six-digit code in the newest message to a destination. */
export async function latestCode(server: TestServer, destination: string): Promise<string> {
  const [message] = await messagesTo(server, destination);
  const code = message?.Body.match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error(`no code in the newest message to ${destination}: ${message?.Body}`);
  return code;
}
