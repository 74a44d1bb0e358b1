import { CognitoError } from './cognito-error.js';

// Errors of the AWS JSON protocol and its authentication layer. They are not in the Cognito
// models because AWS's front door raises them before the service sees the request.

export class UnknownOperationException extends CognitoError {
  readonly name = 'UnknownOperationException';
  readonly statusCode = 400;
}

/** Frontdesk's own: an operation Cognito has that Frontdesk does not implement yet. */
export class NotImplementedException extends CognitoError {
  readonly name = 'NotImplementedException';
  readonly statusCode = 501;
}

export class SerializationException extends CognitoError {
  readonly name = 'SerializationException';
  readonly statusCode = 400;
}

export class UnsupportedMediaTypeException extends CognitoError {
  readonly name = 'UnsupportedMediaTypeException';
  readonly statusCode = 415;
}

export class RequestEntityTooLargeException extends CognitoError {
  readonly name = 'RequestEntityTooLargeException';
  readonly statusCode = 413;
}

export class MissingAuthenticationTokenException extends CognitoError {
  readonly name = 'MissingAuthenticationTokenException';
  readonly statusCode = 400;
}

export class IncompleteSignatureException extends CognitoError {
  readonly name = 'IncompleteSignatureException';
  readonly statusCode = 400;
}

export class InvalidSignatureException extends CognitoError {
  readonly name = 'InvalidSignatureException';
  readonly statusCode = 400;
}

export class UnrecognizedClientException extends CognitoError {
  readonly name = 'UnrecognizedClientException';
  readonly statusCode = 400;
}
