"use client";
import { useFormAction } from "@/components/forms/use-form-action";
import { openPortalAction } from "@/server/funding/actions";
import { idleState } from "@/server/actions/action-state";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

export function PortalButton() {
  const [state, action] = useFormAction(openPortalAction, idleState);
  return (
    <form action={action} className="inline-form">
      <SubmitButton pendingText="Opening…">Manage contributions</SubmitButton>
      {state.status === "error" ? <FormMessage state={state} /> : null}
    </form>
  );
}
