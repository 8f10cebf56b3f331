"use client";
// "Retry now" for one Stripe event that the worker gave up on (or is waiting to retry).
import { useFormAction } from "@/components/forms/use-form-action";
import type { ActionState } from "@/server/actions/action-state";
import { idleState } from "@/server/actions/action-state";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

type Props = { action: (state: ActionState, form: FormData) => Promise<ActionState>; eventId: string; label: string };

export function RetryEventForm({ action, eventId, label }: Props) {
  const [state, formAction] = useFormAction(action, idleState);
  return (
    <form action={formAction} className="inline-form">
      <input type="hidden" name="eventId" value={eventId} />
      <SubmitButton className="secondary" pendingText="Retrying…">
        {label}
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
