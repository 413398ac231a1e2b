import { z } from "zod";

export type ErrorCode =
  | "bad_request"
  | "validation_failed"
  | "unauthorized"
  | "forbidden"
  | "step_up_required"
  | "needs_info"
  | "pairing_denied"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "gone"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "slow_down"
  | "upstream_failed"
  | "internal";

const statusByCode: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 422,
  unauthorized: 401,
  forbidden: 403,
  step_up_required: 403,
  needs_info: 422,
  pairing_denied: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  slow_down: 429,
  upstream_failed: 502,
  internal: 500,
};

/** The one error family. `message` is safe to show; `cause` is for logs only. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; field?: string; retryAfterSeconds?: number; details?: Record<string, unknown> },
  ) {
    super(message, { cause: options?.cause });
    this.status = statusByCode[code];
    this.field = options?.field;
    this.retryAfterSeconds = options?.retryAfterSeconds;
    this.details = options?.details;
  }
  readonly field?: string;
  readonly retryAfterSeconds?: number;
  /** Structured, safe-to-show specifics (e.g. every reason a request was denied). */
  readonly details?: Record<string, unknown>;
}

export const notFound = (what: string) => new AppError("not_found", `${what} not found.`);
export const forbidden = (message = "You do not have permission to do this.") => new AppError("forbidden", message);
export const conflict = (message: string) => new AppError("conflict", message);

export type ErrorBody = { error: { code: ErrorCode; message: string; field?: string; details?: Record<string, unknown> } };

/** Turns anything thrown into a safe status + body. Unknown errors become a generic 500. */
export function toErrorBody(err: unknown): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (err instanceof AppError) {
    return {
      status: err.status,
      body: { error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}), ...(err.details ? { details: err.details } : {}) } },
      headers: err.retryAfterSeconds ? { "Retry-After": String(err.retryAfterSeconds) } : undefined,
    };
  }
  if (err instanceof z.ZodError) {
    const issue = err.issues[0];
    const field = issue?.path.join(".") || undefined;
    const message = issue ? `${field ? `${field}: ` : ""}${issue.message}` : "Invalid input.";
    return { status: 422, body: { error: { code: "validation_failed", message, ...(field ? { field } : {}) } } };
  }
  return { status: 500, body: { error: { code: "internal", message: "Something went wrong. It has been logged." } } };
}
