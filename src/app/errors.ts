/** The closed set of application error types; http and cli map each in one place. */
export type AppErrorType =
  'invalid_data' | 'not_found' | 'conflict' | 'forbidden' | 'unauthorized' | 'rate_limited';

/** A problem with one field of the input. */
export interface FieldError {
  /** JSON path of the field, e.g. `body.email` or `query.days`. */
  path: string;
  message: string;
}

/** An expected failure of a use case, with a message fit to show the caller. */
export class AppError extends Error {
  constructor(
    readonly type: AppErrorType,
    message: string,
    readonly errors: readonly FieldError[] = [],
    /** For rate_limited: how long to wait before trying again, in whole seconds. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
