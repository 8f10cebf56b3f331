"use client";
import { useFormAction } from "@/components/forms/use-form-action";
import { changePasswordAction } from "@/server/auth/account-actions";
import { idleState } from "@/server/actions/action-state";
import { TextField } from "@/components/forms/fields";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

export function ChangePasswordForm() {
  const [state, action] = useFormAction(changePasswordAction, idleState);
  return (
    <form action={action} className="stack" noValidate>
      <FormMessage state={state} />
      <TextField name="currentPassword" label="Current password" type="password" autoComplete="current-password" required maxLength={200} error={state.fields?.currentPassword} />
      <TextField name="newPassword" label="New password" type="password" autoComplete="new-password" required minLength={10} maxLength={200} hint="At least 10 characters." error={state.fields?.newPassword} />
      <TextField name="confirmPassword" label="New password again" type="password" autoComplete="new-password" required maxLength={200} error={state.fields?.confirmPassword} />
      <SubmitButton pendingText="Changing…">Change password</SubmitButton>
    </form>
  );
}
