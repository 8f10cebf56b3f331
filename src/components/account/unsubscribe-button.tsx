"use client";
import { useFormAction } from "@/components/forms/use-form-action";
import { unsubscribeAction } from "@/server/mail/settings-actions";
import { idleState } from "@/server/actions/action-state";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

export function UnsubscribeButton({ token }: { token: string }) {
  const [state, action] = useFormAction(unsubscribeAction, idleState);
  return (
    <form action={action} className="stack">
      <FormMessage state={state} />
      <input type="hidden" name="token" value={token} />
      {state.status === "ok" ? null : <SubmitButton pendingText="Turning off…">Turn these mails off</SubmitButton>}
    </form>
  );
}
