"use client";
import Link from "next/link";
import { useFormAction } from "@/components/forms/use-form-action";
import { confirmTotpAction } from "@/server/auth/account-actions";
import { idleState } from "@/server/actions/action-state";
import { TextField } from "@/components/forms/fields";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

export function EnrolTotpForm({ needsPassword }: { needsPassword: boolean }) {
  const [state, action] = useFormAction(confirmTotpAction, idleState);
  const codes = state.status === "ok" ? (state.data?.recoveryCodes ?? "").split(" ").filter(Boolean) : [];
  if (codes.length > 0) {
    return (
      <div className="stack">
        <FormMessage state={state} />
        <h2>Your recovery codes</h2>
        <p>Keep them somewhere safe: each one works once, instead of a code, if you lose your authenticator. They are shown only now.</p>
        <ul aria-label="Recovery codes" className="recovery-codes">
          {codes.map((code) => (
            <li key={code}>
              <code>{code}</code>
            </li>
          ))}
        </ul>
        <p>
          <Link className="button" href={state.data?.next ?? "/admin"}>
            I have saved them: continue
          </Link>
        </p>
      </div>
    );
  }
  return (
    <form action={action} className="stack" noValidate>
      <FormMessage state={state} />
      {needsPassword ? (
        <TextField name="password" label="Your password" type="password" autoComplete="current-password" required maxLength={200} error={state.fields?.password} />
      ) : null}
      <TextField name="code" label="Code from the app" autoComplete="one-time-code" inputMode="numeric" required maxLength={20} error={state.fields?.code} />
      <SubmitButton pendingText="Checking…">Turn on two-factor sign-in</SubmitButton>
    </form>
  );
}
