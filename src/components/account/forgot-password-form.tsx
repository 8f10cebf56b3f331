"use client";
import { useFormAction } from "@/components/forms/use-form-action";
import { forgotPasswordAction } from "@/server/auth/mail-actions";
import { idleState } from "@/server/actions/action-state";
import { TextField } from "@/components/forms/fields";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

export function ForgotPasswordForm() {
  const [state, action] = useFormAction(forgotPasswordAction, idleState);
  return (
    <form action={action} className="stack" noValidate>
      <FormMessage state={state} />
      <TextField name="email" label="Email" type="email" autoComplete="email" required maxLength={254} defaultValue={state.values?.email} error={state.fields?.email} />
      <SubmitButton pendingText="Sending…">Send me a link</SubmitButton>
    </form>
  );
}
