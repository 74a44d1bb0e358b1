import type { CodeDeliveryDetailsType } from '@aws-sdk/client-cognito-identity-provider';
import type { DeliveryMedium } from '../../store/message-store.js';

/**
 * A destination as Cognito shows it in CodeDeliveryDetails and CODE_DELIVERY_DESTINATION:
 * - email: first character of the local part, `***@`, first character of the domain, `***`
 *   (`jane.doe@example.com` → `j***@e***`);
 * - phone: the `+`, one `*` per digit but the last four (`+15555550100` → `+*******0100`).
 * Anything that does not look like either is masked entirely, so a malformed value never leaks.
 */
export function maskDestination(medium: DeliveryMedium, value: string): string {
  return medium === 'EMAIL' ? maskEmail(value) : maskPhone(value);
}

function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  // Code points, not UTF-16 units, so a non-BMP first character is not split in half.
  const local = [...value.slice(0, at)];
  const domain = [...value.slice(at + 1)];
  if (at < 0 || local.length === 0 || domain.length === 0) return '***';
  return `${local[0]}***@${domain[0]}***`;
}

function maskPhone(value: string): string {
  const plus = value.startsWith('+') ? '+' : '';
  const rest = value.slice(plus.length);
  if (rest.length <= 4) return plus + '*'.repeat(Math.max(rest.length, 3));
  return plus + '*'.repeat(rest.length - 4) + rest.slice(-4);
}

/** The CodeDeliveryDetails member of SignUp, ForgotPassword, GetUserAttributeVerificationCode… */
export function codeDeliveryDetails(medium: DeliveryMedium, destination: string, attributeName: string): CodeDeliveryDetailsType {
  return { Destination: maskDestination(medium, destination), DeliveryMedium: medium, AttributeName: attributeName };
}
