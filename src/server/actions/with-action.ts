// The one wrapper for server actions behind forms. Next.js already refuses cross-origin
// posts; on top of that every action re-reads the session, parses the form with zod and
// goes through a domain function that checks the permission, so a forged or replayed post
// can do no more than the signed-in person could do by hand.
import "server-only";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { getActor } from "@/server/auth/current-actor";
import type { Actor, HostPermission } from "@/server/auth/permissions";
import { assertHostPermission } from "@/server/auth/host-permission";
import { AppError } from "@/server/errors/app-error";
import { log } from "@/server/log";
import type { ActionState } from "./action-state";

type Outcome = void | { message?: string; data?: Record<string, string> };
type Action = (previous: ActionState, form: FormData) => Promise<ActionState>;

// Never sent back to the browser: they would end up in the page (one-time codes included).
const SECRET_FIELD = /password|token|^code$/i;

function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value !== "string" || key.startsWith("$") || SECRET_FIELD.test(key)) continue;
    values[key] = value.slice(0, 10_000);
  }
  return values;
}

function formInput(form: FormData): Record<string, string> {
  const input: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === "string" && !key.startsWith("$")) input[key] = value;
  }
  return input;
}

function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[String(issue.path[0] ?? "_")] ??= issue.message;
  return fields;
}

async function run<S extends z.ZodType>(
  form: FormData,
  schema: S,
  needsActor: boolean,
  handler: (input: z.output<S>, actor: Actor | null) => Promise<Outcome>,
  guard?: (actor: Actor | null) => void,
): Promise<ActionState> {
  const values = formValues(form);
  try {
    const actor = await getActor();
    // Before parsing: someone refused must not learn the form's fields from its errors.
    guard?.(actor);
    if (needsActor && !actor) throw new AppError("UNAUTHENTICATED", "Your session has ended. Sign in again.");
    const parsed = schema.safeParse(formInput(form));
    if (!parsed.success) {
      return { status: "error", message: "Some fields need attention.", fields: fieldErrors(parsed.error), values };
    }
    const outcome = await handler(parsed.data, actor);
    return { status: "ok", message: outcome?.message, data: outcome?.data };
  } catch (error) {
    unstable_rethrow(error); // redirect() and notFound() are not failures
    if (error instanceof AppError) return { status: "error", message: error.message, fields: error.fields, values };
    log.error("form action failed", { error: error instanceof Error ? error.stack : String(error) });
    return { status: "error", message: "Something went wrong on our side. Please try again.", values };
  }
}

/** A form action for signed-in people. */
export function withAction<S extends z.ZodType>(
  schema: S,
  handler: (input: z.output<S>, context: { actor: Actor }) => Promise<Outcome>,
): Action {
  return async (_previous, form) => run(form, schema, true, (input, actor) => handler(input, { actor: actor! }));
}

/** A form action anyone may use (sign-in, sign-up). */
export function withPublicAction<S extends z.ZodType>(
  schema: S,
  handler: (input: z.output<S>, context: { actor: Actor | null }) => Promise<Outcome>,
): Action {
  return async (_previous, form) => run(form, schema, false, (input, actor) => handler(input, { actor }));
}

/**
 * A form action of the admin area: the host permission is checked before anything else (the
 * domain function checks it again), and a refusal looks like "not found".
 */
export function withHostAction<S extends z.ZodType>(
  permission: HostPermission,
  schema: S,
  handler: (input: z.output<S>, context: { actor: Actor }) => Promise<Outcome>,
): Action {
  const guard = (actor: Actor | null) => assertHostPermission(actor, permission);
  return async (_previous, form) => run(form, schema, true, (input, actor) => handler(input, { actor: actor! }), guard);
}
