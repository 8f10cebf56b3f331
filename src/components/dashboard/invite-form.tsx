"use client";
import { useFormAction } from "@/components/forms/use-form-action";
import { inviteMemberAction } from "@/server/members/actions";
import { idleState } from "@/server/actions/action-state";
import { SelectField, TextField } from "@/components/forms/fields";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

export function InviteForm({ slug, canInviteAdmins }: { slug: string; canInviteAdmins: boolean }) {
  const [state, action] = useFormAction(inviteMemberAction, idleState);
  const values = state.values ?? {};
  const roles = [{ value: "MEMBER", label: "Member" }, ...(canInviteAdmins ? [{ value: "ADMIN", label: "Admin" }] : [])];
  return (
    <form action={action} className="stack" noValidate>
      <FormMessage state={state} />
      {state.data?.link ? (
        <div className="field">
          <label htmlFor="invitation-link">Invitation link (shown once)</label>
          <input id="invitation-link" readOnly value={state.data.link} />
        </div>
      ) : null}
      <input type="hidden" name="community" value={slug} />
      <TextField name="email" label="Email address" type="email" autoComplete="off" required defaultValue={values.email} error={state.fields?.email} />
      <SelectField name="role" label="Role" options={roles} defaultValue={values.role ?? "MEMBER"} error={state.fields?.role} />
      <SubmitButton pendingText="Creating…">Create invitation</SubmitButton>
    </form>
  );
}
