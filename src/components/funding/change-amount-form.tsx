"use client";
import { useFormAction } from "@/components/forms/use-form-action";
import { changeAmountAction } from "@/server/funding/actions";
import { idleState } from "@/server/actions/action-state";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

export function ChangeAmountForm({ contributionId, community, currency }: { contributionId: string; community: string; currency: string }) {
  const [state, action] = useFormAction(changeAmountAction, idleState);
  const id = `amount-${contributionId}`;
  const error = state.fields?.amount;
  return (
    <form action={action} className="inline-form" noValidate>
      <input type="hidden" name="contribution" value={contributionId} />
      <label htmlFor={id}>
        New amount for {community} ({currency.toUpperCase()})
      </label>
      <input
        id={id}
        name="amount"
        inputMode="decimal"
        size={8}
        defaultValue={state.values?.amount}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <SubmitButton className="secondary" pendingText="Changing…">
        Change
      </SubmitButton>
      {error ? (
        <p className="error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      <FormMessage state={state.status === "ok" || !error ? state : idleState} />
    </form>
  );
}
