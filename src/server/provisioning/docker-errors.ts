// Reading dockerode errors: the HTTP status is what decides, never "any error means absent".
import { AppError } from "@/server/errors/app-error";
export function dockerStatus(error: unknown): number | undefined {
  return (error as { statusCode?: number }).statusCode;
}

export const isNotFound = (error: unknown) => dockerStatus(error) === 404;

/** Docker's own message without dockerode's "(HTTP code N) ... -" prefix. */
export function dockerMessage(error: unknown): string {
  const json = (error as { json?: { message?: string } }).json;
  const message = json?.message ?? (error instanceof Error ? error.message : String(error));
  return message.replace(/^\(HTTP code \d+\)[^-]*-\s*/, "").trim();
}

/** An error whose message is written for the person reading the timeline. */
export class StepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StepError";
  }
}

/** Plain words for failures reaching the engine itself. */
export function describeStepFailure(error: unknown): string {
  if (error instanceof StepError || error instanceof AppError) return error.message;
  const code = (error as { code?: string }).code;
  if (code === "ENOENT" || code === "ECONNREFUSED" || code === "EACCES" || code === "ETIMEDOUT" || code === "EHOSTUNREACH") {
    return `The Docker engine could not be reached (${code}). Check that dockerd runs on the host and that DOCKER_HOST is right.`;
  }
  const status = dockerStatus(error);
  if (status) return `Docker refused the request (HTTP ${status}): ${dockerMessage(error).slice(0, 300)}`;
  const message = error instanceof Error ? error.message : String(error);
  return `Unexpected error: ${message.slice(0, 300)}`;
}
