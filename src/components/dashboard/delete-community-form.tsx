"use client";
import { useFormAction } from "@/components/forms/use-form-action";
import { deleteCommunityAction } from "@/server/communities/actions";
import { idleState } from "@/server/actions/action-state";
import { CheckboxField, TextField } from "@/components/forms/fields";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

/** The owner's deletion: export first (ticked by default when there is a server), then type the address. */
export function DeleteCommunityForm({ slug, canExport }: { slug: string; canExport: boolean }) {
  const [state, action] = useFormAction(deleteCommunityAction, idleState);
  return (
    <form action={action} className="stack" noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="community" value={slug} />
      {canExport ? (
        <CheckboxField
          name="exportFirst"
          label="Export the server first"
          hint="An archive of everything (database, media, configuration) is made before anything is deleted; if it cannot be made, nothing is deleted. You download it afterwards from Your communities, under “Deleted communities”."
          defaultChecked={state.status === "error" ? state.values?.exportFirst === "on" : true}
        />
      ) : null}
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
