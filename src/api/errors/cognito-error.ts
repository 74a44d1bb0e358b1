/**
 * Base of every error that reaches the wire. The subclass name is the `__type` clients match on;
 * the message is safe to show to the caller. Internal causes go in `cause` and are only logged.
 */
export abstract class CognitoError extends Error {
  abstract override readonly name: string;
  abstract readonly statusCode: number;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  /** Extra members of the error body besides `__type` and `message` (e.g. `reasonCode`). */
  wireMembers(): Record<string, unknown> {
    return {};
  }
}
