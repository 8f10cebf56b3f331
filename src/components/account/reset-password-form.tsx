"use client";
import { useFormAction } from "@/components/forms/use-form-action";
import { resetPasswordAction } from "@/server/auth/mail-actions";
import { idleState } from "@/server/actions/action-state";
import { TextField } from "@/components/forms/fields";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

export function ResetPasswordForm({ token }: { token: string }) {
  const [state, action] = useFormAction(resetPasswordAction, idleState);
  return (
    <form action={action} className="stack" noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="token" value={token} />
      <TextField
        name="password"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        maxLength={200}
        hint="At least 10 characters. Choosing it signs you out on every other device."
        error={state.fields?.password}
      />
      <SubmitButton pendingText="Saving…">Set the new password</SubmitButton>
    </form>
  );
}
