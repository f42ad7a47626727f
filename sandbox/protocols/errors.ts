/** An error as AWS names it; each protocol renders it in its own wire shape. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Extra headers (e.g. Retry-After) to send with the error. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (code: string, message: string) => new AwsError(code, message, 404);
