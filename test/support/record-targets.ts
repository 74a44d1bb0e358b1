/**
 * Records which Cognito operations a client library sends, by wrapping the global `fetch` (both
 * Amplify v6 and amazon-cognito-identity-js call it in Node 20). Nothing is changed on the way:
 * the request and the response pass through untouched.
 */
export interface RecordedCall {
  /** The operation, e.g. `InitiateAuth` (the X-Amz-Target without its service prefix). */
  operation: string;
  status: number;
  /** Lower-cased names of the request headers the library sent. */
  headerNames: string[];
}

export interface TargetRecorder {
  readonly calls: readonly RecordedCall[];
  /** A position to pass to `since`. */
  mark(): number;
  /** `"<Operation> <status>"` for every call after the mark. */
  since(mark: number): string[];
  restore(): void;
}

export function recordTargets(): TargetRecorder {
  const calls: RecordedCall[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const response = await realFetch(input, init);
    const headers = new Headers(init?.headers);
    const target = headers.get('x-amz-target');
    if (target) {
      calls.push({
        operation: target.replace(/^AWSCognitoIdentityProviderService\./, ''),
        status: response.status,
        headerNames: [...headers.keys()],
      });
    }
    return response;
  };
  return {
    calls,
    mark: () => calls.length,
    since: (mark) => calls.slice(mark).map((call) => `${call.operation} ${call.status}`),
    restore: () => {
      globalThis.fetch = realFetch;
    },
  };
}
