"use client";
// Who may create an account on the community's Bluesky PDS: by invitation (the default) or
// anyone. Saving restarts a running server for a moment (the PDS reads it at start).
import { useFormAction } from "@/components/forms/use-form-action";
import { setPdsSignUpAction } from "@/server/provisioning/actions";
import { idleState } from "@/server/actions/action-state";
import { Choices } from "@/components/forms/fields";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

export function PdsSignUpForm({ slug, open }: { slug: string; open: boolean }) {
  const [state, action] = useFormAction(setPdsSignUpAction, idleState);
  return (
    <form action={action} className="stack" noValidate>
      <input type="hidden" name="community" value={slug} />
      <Choices
        name="signUp"
        label="Who may create an account"
        defaultValue={state.values?.signUp ?? (open ? "open" : "invite")}
        error={state.fields?.signUp}
        choices={[
          { value: "invite", label: "People with an invite code", hint: "You decide who joins." },
          { value: "open", label: "Anyone", hint: "Anyone on the internet can make an account here, spammers included; you answer for what they post." },
        ]}
      />
      <FormMessage state={state} />
      <SubmitButton className="secondary" pendingText="Saving…">
        Save who may sign up
      </SubmitButton>
    </form>
  );
}
