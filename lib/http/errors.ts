import { AppError } from '../errors.js';
import type { HttpResult } from './api.js';

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    details?: { path: string; message: string }[];
    requestId?: string;
  };
}

/** Map any thrown value to the one error body shape. 5xx bodies never carry internals. */
export function errorResponse(error: unknown, requestId?: string): HttpResult {
  if (error instanceof AppError && error.expose) {
    const body: ErrorBody = { error: { code: error.code, message: error.message, requestId } };
    if (error.details.length) body.error.details = error.details;
    return { status: error.status, body };
  }
  const status = error instanceof AppError ? error.status : 500;
  const code = error instanceof AppError && status !== 500 ? error.code : 'INTERNAL';
  const message = status === 500 ? 'Internal error.' : 'The service is temporarily unavailable.';
  return { status, body: { error: { code, message, requestId } } };
}
