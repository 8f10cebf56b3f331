// The one error type of the domain layer. Its code decides the HTTP status and whether
// the message may be shown to the person; anything else becomes a generic 500.
import { ZodError } from "zod";

export const errorStatus = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what = "Not found") => new AppError("NOT_FOUND", what);

export type ErrorBody = { error: { code: ErrorCode | "INTERNAL"; message: string; fields?: Record<string, string> } };

/** Maps any thrown value to a status and a body safe to show; unknown errors say nothing of themselves. */
export function toHttpError(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    return {
      status: errorStatus[error.code],
      body: { error: { code: error.code, message: error.message, fields: error.fields } },
    };
  }
  if (error instanceof ZodError) {
    const fields: Record<string, string> = {};
    for (const issue of error.issues) fields[issue.path.join(".") || "_"] ??= issue.message;
    return { status: 422, body: { error: { code: "UNPROCESSABLE", message: "Some fields need attention.", fields } } };
  }
  return { status: 500, body: { error: { code: "INTERNAL", message: "Something went wrong on our side." } } };
}
