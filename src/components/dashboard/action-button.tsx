"use client";
// A one-button form (remove, withdraw, accept...) with hidden fields and its own message.
import { useFormAction } from "@/components/forms/use-form-action";
import type { ActionState } from "@/server/actions/action-state";
import { idleState } from "@/server/actions/action-state";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

type Props = {
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  fields: Record<string, string>;
  label: string;
  /** Names the thing acted on for screen readers, e.g. "Remove Ada". */
  accessibleLabel?: string;
  className?: string;
};

export function ActionButton({ action, fields, label, accessibleLabel, className = "secondary" }: Props) {
  const [state, formAction] = useFormAction(action, idleState);
  return (
    <form action={formAction} className="inline-form">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <SubmitButton className={className}>
        <span aria-hidden={accessibleLabel ? true : undefined}>{label}</span>
        {accessibleLabel ? <span className="visually-hidden">{accessibleLabel}</span> : null}
      </SubmitButton>
      {state.status === "error" ? <FormMessage state={state} /> : null}
    </form>
  );
}
