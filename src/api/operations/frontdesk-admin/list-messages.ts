// Frontdesk's own API (X-Amz-Target `FrontdeskAdmin.ListMessages`, SigV4 with the admin
// credentials); Cognito has no equivalent. Lists the message outbox, newest first, so tests and
// operators can read the codes and invitations Frontdesk sent, and see whether delivery worked.
// Input: Destination (exact; case-insensitive for email addresses), MaxResults (1-1000, default 50).
// Output members beyond Destination/DeliveryMedium/Subject/Body/CreationDate are Frontdesk
// extensions: MessageId, UserPoolId, DeliveryStatus (OUTBOX_ONLY | SENT | FAILED), DeliveryError.
import { defineOperation } from '../../operation.js';
import type { OutboxMessage } from '../../../domain/messaging/messenger.js';

export interface ListMessagesRequest {
  Destination?: string;
  MaxResults?: number;
}

export interface MessageType {
  MessageId: string;
  UserPoolId?: string;
  Destination: string;
  DeliveryMedium: 'EMAIL' | 'SMS';
  Subject?: string;
  Body: string;
  DeliveryStatus: 'OUTBOX_ONLY' | 'SENT' | 'FAILED';
  DeliveryError?: string;
  CreationDate: Date;
}

export interface ListMessagesResponse {
  Messages: MessageType[];
}

export const DEFAULT_MAX_RESULTS = 50;

const toMessageType = (message: OutboxMessage): MessageType => ({
  MessageId: message.id,
  ...(message.userPoolId !== undefined ? { UserPoolId: message.userPoolId } : {}),
  Destination: message.destination,
  DeliveryMedium: message.deliveryMedium,
  ...(message.subject !== undefined ? { Subject: message.subject } : {}),
  Body: message.body,
  DeliveryStatus: message.deliveryStatus,
  ...(message.deliveryError !== undefined ? { DeliveryError: message.deliveryError } : {}),
  CreationDate: message.createdAt,
});

export const listMessages = defineOperation<ListMessagesRequest, ListMessagesResponse>({
  name: 'ListMessages',
  service: 'admin',
  auth: 'sigv4',
  async handler(input, { services }) {
    const messages = await services.messenger.list({
      ...(input.Destination !== undefined ? { destination: input.Destination } : {}),
      limit: input.MaxResults ?? DEFAULT_MAX_RESULTS,
    });
    return { Messages: messages.map(toMessageType) };
  },
});
