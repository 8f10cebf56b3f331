import type { ActionState } from "@/server/actions/action-state";

/** The form-level outcome, announced to screen readers when it appears. */
export function FormMessage({ state }: { state: ActionState }) {
  return (
    <div role="status" aria-live="polite" className="form-message">
      {state.message ? <p className={state.status === "error" ? "form-error" : "form-ok"}>{state.message}</p> : null}
    </div>
  );
}
