"use client";
import { useFormAction } from "@/components/forms/use-form-action";
import { signInAction } from "@/server/auth/actions";
import { idleState, type ActionState } from "@/server/actions/action-state";
import { TextField } from "@/components/forms/fields";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

export function SignInForm({ callbackUrl, initialError }: { callbackUrl: string; initialError?: string }) {
  const initial: ActionState = initialError ? { status: "error", message: initialError } : idleState;
  const [state, action] = useFormAction(signInAction, initial);
  const values = state.values ?? {};
  return (
    <form action={action} className="stack" noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <TextField name="email" label="Email" type="email" autoComplete="email" required maxLength={254} defaultValue={values.email} error={state.fields?.email} />
      <TextField name="password" label="Password" type="password" autoComplete="current-password" required maxLength={200} error={state.fields?.password} />
      <SubmitButton pendingText="Signing in…">Sign in</SubmitButton>
    </form>
  );
}
