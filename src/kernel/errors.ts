/**
 * The one error type of anxin. `code` is a stable catalogue entry (see
 * docs/errors.md); `kind` decides the HTTP status and the CLI exit code in
 * exactly one place each.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unsupported'
  | 'locked'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export class AppError extends Error {
  override readonly name = 'AppError';

  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** HTTP status for each kind; the only place this mapping exists. */
export function httpStatusOf(kind: ErrorKind): number {
  switch (kind) {
    case 'invalid':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'too_large':
      return 413;
    case 'unsupported':
      return 415;
    case 'locked':
      return 423;
    case 'rate_limited':
      return 429;
    case 'unavailable':
      return 503;
    case 'internal':
      return 500;
  }
}

/** Process exit code for each kind, used by the CLI. */
export function exitCodeOf(kind: ErrorKind): number {
  switch (kind) {
    case 'invalid':
    case 'too_large':
    case 'unsupported':
      return 2;
    case 'unauthenticated':
    case 'forbidden':
      return 3;
    case 'not_found':
      return 4;
    case 'conflict':
    case 'locked':
      return 5;
    case 'rate_limited':
    case 'unavailable':
      return 6;
    case 'internal':
      return 1;
  }
}
