/**
 * The one error taxonomy. Every error the service raises on purpose is an AppError with a stable `code`
 * and an HTTP `status`; lib/http/errors.ts maps them to responses in one place. Anything else is a bug
 * and becomes a generic 500.
 */

export interface ErrorDetail {
  path: string;
  message: string;
}

export abstract class AppError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  readonly details: ErrorDetail[];
  /** Whether the message may be shown to the caller (never for 5xx). */
  get expose(): boolean {
    return this.status < 500;
  }
  constructor(message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

export class ValidationError extends AppError {
  readonly code = 'VALIDATION_FAILED';
  readonly status = 400;
}

export class BadRequestError extends AppError {
  readonly code = 'BAD_REQUEST';
  readonly status = 400;
}

export class UnauthorizedError extends AppError {
  readonly code = 'UNAUTHORIZED';
  readonly status = 401;
}

export class ForbiddenError extends AppError {
  readonly code = 'FORBIDDEN';
  readonly status = 403;
}

export class NotFoundError extends AppError {
  readonly code = 'NOT_FOUND';
  readonly status = 404;
}

export class MethodNotAllowedError extends AppError {
  readonly code = 'METHOD_NOT_ALLOWED';
  readonly status = 405;
}

export class ConflictError extends AppError {
  readonly code = 'CONFLICT';
  readonly status = 409;
}

export class PayloadTooLargeError extends AppError {
  readonly code = 'PAYLOAD_TOO_LARGE';
  readonly status = 413;
}

export class UnsupportedMediaTypeError extends AppError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
  readonly status = 415;
}

export class UpstreamError extends AppError {
  readonly code = 'UPSTREAM_UNAVAILABLE';
  readonly status = 502;
}

export class StoreUnavailableError extends AppError {
  readonly code = 'STORE_UNAVAILABLE';
  readonly status = 503;
}

/** Bad configuration: a deploy or operator mistake, reported with the variable names at start-up. */
export class ConfigError extends AppError {
  readonly code = 'CONFIG_INVALID';
  readonly status = 500;
  constructor(
    message: string,
    readonly problems: string[],
  ) {
    super(message);
  }
}

/** A precondition of the local runtime is missing (e.g. no Java for DynamoDB Local). */
export class EnvironmentError extends AppError {
  readonly code = 'ENVIRONMENT';
  readonly status = 500;
}

/** A UDI that does not parse: 422 with the parser's stable code (GTIN_CHECK_DIGIT, INVALID_DATE, …). */
export class UdiInvalidError extends AppError {
  readonly status = 422;
  readonly code: string;
  constructor(
    udiCode: string,
    message: string,
    path: string,
    readonly position?: number,
  ) {
    super(message, [{ path, message: position === undefined ? message : `${message} (at character ${position + 1})` }]);
    this.code = udiCode;
  }
}
