import type { UserPool } from '../../user-pools/user-pool.js';
import type { User } from '../../users/user.js';
import { CODE_PLACEHOLDER, USERNAME_PLACEHOLDER } from '../../messaging/templates.js';
import { optionalMap, unrecognizable, type Triggers } from '../triggers.js';
import { eventAttributes } from './user-attributes.js';

// Custom message: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-message.html
// The function receives the placeholders ({####}, {##Click Here##}, {username}) rather than the
// code itself and answers with templates; Frontdesk substitutes them as it does its own templates.
// A message that leaves out the code placeholder is not used (the pool's own template is sent
// instead), so a function cannot make a code message without the code.

export type CustomMessageSource =
  | 'CustomMessage_SignUp'
  | 'CustomMessage_AdminCreateUser'
  | 'CustomMessage_ResendCode'
  | 'CustomMessage_ForgotPassword'
  | 'CustomMessage_UpdateUserAttribute'
  | 'CustomMessage_VerifyUserAttribute'
  | 'CustomMessage_Authentication';

/** Where a message is being sent from: the trigger source, and the caller's client and metadata. */
export interface MessageContext {
  triggerSource: CustomMessageSource;
  clientId?: string | undefined;
  clientMetadata?: Record<string, string> | undefined;
}

export const LINK_PARAMETER = '{##Click Here##}';

/** The templates a function returned, for the medium being sent; undefined keeps the pool's own. */
export interface CustomTemplates {
  subject?: string;
  message: string;
}

export async function runCustomMessage(
  triggers: Triggers,
  pool: UserPool,
  input: { context: MessageContext; user: Pick<User, 'id' | 'username' | 'attributes' | 'status'>; medium: 'EMAIL' | 'SMS' },
): Promise<CustomTemplates | undefined> {
  const arn = triggers.arnOf(pool, 'CustomMessage');
  if (!arn) return undefined;
  const invitation = input.context.triggerSource === 'CustomMessage_AdminCreateUser';
  const response = await triggers.run(pool, 'CustomMessage', arn, {
    userName: input.user.username,
    clientId: input.context.clientId,
    triggerSource: input.context.triggerSource,
    request: {
      userAttributes: eventAttributes(input.user),
      codeParameter: CODE_PLACEHOLDER,
      linkParameter: LINK_PARAMETER,
      usernameParameter: invitation ? USERNAME_PLACEHOLDER : null,
      ...optionalMap('clientMetadata', input.context.clientMetadata),
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  });
  const smsMessage = optionalString(response, 'smsMessage');
  const emailMessage = optionalString(response, 'emailMessage');
  const emailSubject = optionalString(response, 'emailSubject');
  const message = input.medium === 'SMS' ? smsMessage : emailMessage;
  if (message === undefined || !message.includes(CODE_PLACEHOLDER)) return undefined;
  return { message, ...(input.medium === 'EMAIL' && emailSubject !== undefined ? { subject: emailSubject } : {}) };
}

function optionalString(response: Record<string, unknown>, name: string): string | undefined {
  const value = response[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw unrecognizable();
  return value;
}
