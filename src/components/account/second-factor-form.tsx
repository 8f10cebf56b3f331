"use client";
import { useFormAction } from "@/components/forms/use-form-action";
import { verifySecondFactorAction } from "@/server/auth/account-actions";
import { idleState } from "@/server/actions/action-state";
import { TextField } from "@/components/forms/fields";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

export function SecondFactorForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action] = useFormAction(verifySecondFactorAction, idleState);
  return (
    <form action={action} className="stack" noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <TextField name="code" label="Code" autoComplete="one-time-code" inputMode="text" required maxLength={40} error={state.fields?.code} />
      <SubmitButton pendingText="Checking…">Continue</SubmitButton>
    </form>
  );
}
