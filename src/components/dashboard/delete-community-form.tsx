"use client";
import { useActionState } from "react";
import { deleteCommunityAction } from "@/server/communities/actions";
import { idleState } from "@/server/actions/action-state";
import { TextField } from "@/components/forms/fields";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

export function DeleteCommunityForm({ slug }: { slug: string }) {
  const [state, action] = useActionState(deleteCommunityAction, idleState);
  return (
    <form action={action} className="stack" noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="community" value={slug} />
      <TextField
        name="confirm"
        label={`Type “${slug}” to confirm`}
        autoComplete="off"
        spellCheck={false}
        defaultValue={state.values?.confirm}
        error={state.fields?.confirm}
      />
      <SubmitButton className="danger" pendingText="Deleting…">
        Delete this community
      </SubmitButton>
    </form>
  );
}
