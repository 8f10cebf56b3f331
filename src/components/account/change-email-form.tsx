"use client";
import { useFormAction } from "@/components/forms/use-form-action";
import { changeEmailAction } from "@/server/auth/mail-actions";
import { idleState } from "@/server/actions/action-state";
import { TextField } from "@/components/forms/fields";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

export function ChangeEmailForm({ needsPassword }: { needsPassword: boolean }) {
  const [state, action] = useFormAction(changeEmailAction, idleState);
  return (
    <form action={action} className="stack" noValidate>
      <FormMessage state={state} />
      <TextField name="email" label="New email address" type="email" autoComplete="email" required maxLength={254} defaultValue={state.values?.email} error={state.fields?.email} />
      {needsPassword ? (
        <TextField name="password" label="Current password" type="password" autoComplete="current-password" required maxLength={200} error={state.fields?.password} />
      ) : null}
      <SubmitButton pendingText="Sending…">Change my address</SubmitButton>
    </form>
  );
}
