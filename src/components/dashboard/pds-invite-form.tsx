"use client";
// Invite codes for a community's Bluesky PDS: sign-up there needs one, and only Hearth can make
// them (it holds the PDS's admin password). The new code is shown here; the PDS keeps it.
import type { ReactNode } from "react";
import { useFormAction } from "@/components/forms/use-form-action";
import { createPdsInviteAction } from "@/server/provisioning/actions";
import { idleState } from "@/server/actions/action-state";
import { TextField } from "@/components/forms/fields";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

export function PdsInviteForm({ slug, domain, openSignUp, children }: { slug: string; domain: string; openSignUp: boolean; children?: ReactNode }) {
  const [state, action] = useFormAction(createPdsInviteAction, idleState);
  const code = state.status === "ok" ? state.data?.code : undefined;
  return (
    <section className="card" aria-labelledby="pds-invites-heading">
      <h2 id="pds-invites-heading">Invite codes</h2>
      <p>
        {openSignUp ? "Anyone can create an account on your server" : "Accounts on your server are by invitation: each person needs a code to sign up"}, with a
        handle such as <code>alice.{domain}</code>.
      </p>
      {code ? (
        <p>
          New code: <code className="mono" data-testid="pds-invite-code">{code}</code>
        </p>
      ) : null}
      <form action={action} className="stack" noValidate>
        <input type="hidden" name="community" value={slug} />
        <TextField
          name="uses"
          label="Accounts this code may create"
          inputMode="numeric"
          hint="From 1 to 50."
          defaultValue={state.values?.uses ?? "1"}
          error={state.fields?.uses}
        />
        <FormMessage state={state} />
        <SubmitButton pendingText="Making a code…">Make an invite code</SubmitButton>
      </form>
      {children}
    </section>
  );
}
