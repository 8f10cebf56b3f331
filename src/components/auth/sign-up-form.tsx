"use client";
import { useFormAction } from "@/components/forms/use-form-action";
import { signUpAction } from "@/server/auth/actions";
import { idleState } from "@/server/actions/action-state";
import { TextField } from "@/components/forms/fields";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action] = useFormAction(signUpAction, idleState);
  const values = state.values ?? {};
  return (
    <form action={action} className="stack" noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <TextField name="name" label="Your name (optional)" autoComplete="name" maxLength={80} defaultValue={values.name} error={state.fields?.name} />
      <TextField name="email" label="Email" type="email" autoComplete="email" required maxLength={254} defaultValue={values.email} error={state.fields?.email} />
      <TextField
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        maxLength={200}
        hint="At least 10 characters. A few unrelated words make a strong one."
        error={state.fields?.password}
      />
      <SubmitButton pendingText="Creating your account…">Create account</SubmitButton>
    </form>
  );
}
