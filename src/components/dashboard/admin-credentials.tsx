"use client";
// The instance's admin account, revealed once to the owner: the password is erased from
// Hearth as it is shown, so the page says plainly to write it down.
import { useFormAction } from "@/components/forms/use-form-action";
import { revealCredentialsAction } from "@/server/provisioning/actions";
import { idleState } from "@/server/actions/action-state";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

export function AdminCredentials({ slug }: { slug: string }) {
  const [state, action] = useFormAction(revealCredentialsAction, idleState);
  const shown = state.status === "ok" ? state.data : undefined;
  return (
    <section className="card" aria-labelledby="credentials-heading">
      <h2 id="credentials-heading">Admin account on your instance</h2>
      {shown ? (
        <dl>
          <dt>User name</dt>
          <dd>
            <code>{shown.username}</code>
          </dd>
          <dt>Email</dt>
          <dd>{shown.email}</dd>
          <dt>Password</dt>
          <dd>
            <code>{shown.password}</code>
          </dd>
        </dl>
      ) : (
        <form action={action} className="stack">
          <input type="hidden" name="community" value={slug} />
          <p className="hint">The password is shown once, to the owner, then erased from Hearth.</p>
          <SubmitButton pendingText="Opening…">Show the admin password</SubmitButton>
        </form>
      )}
      <FormMessage state={state} />
    </section>
  );
}
