"use client";
// useActionState for our forms, plus what happens when the request is lost on the way: the
// browser's fetch of the server action rejects (Chromium: ERR_NETWORK_CHANGED, offline, a
// dropped connection) and React would throw that to the page's error boundary. Here the form
// stays, keeps what the person typed (never secrets) and says the request was lost, so they
// can send it again. Errors the server answered with are not touched.
import { useActionState, useMemo } from "react";
import type { ActionState } from "@/server/actions/action-state";
import { LOST_REQUEST, isLostRequest } from "./lost-request";

type FormAction = (state: ActionState, form: FormData) => Promise<ActionState>;

// Fields never typed back into a form: passwords, codes and tokens.
const SECRET_FIELD = /password|token|code|secret|recovery/i;

function typedValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of form) {
    if (typeof value === "string" && !name.startsWith("$ACTION") && !SECRET_FIELD.test(name)) values[name] = value;
  }
  return values;
}

function recovering(action: FormAction): FormAction {
  return async (state, form) => {
    try {
      return await action(state, form);
    } catch (error) {
      if (!isLostRequest(error)) throw error; // Next's redirects and server errors go on as before
      return { status: "error", message: LOST_REQUEST, values: typedValues(form) };
    }
  };
}

export function useFormAction(action: FormAction, initial: ActionState) {
  // Server rendering gets the server action itself: React writes its id into the form, so the
  // form still posts without JavaScript. Only the browser's calls go through the wrapper (the
  // client's useActionState takes whichever action the latest render passed).
  const inBrowser = typeof window !== "undefined";
  const wrapped = useMemo(() => (inBrowser ? recovering(action) : action), [action, inBrowser]);
  return useActionState(wrapped, initial);
}
