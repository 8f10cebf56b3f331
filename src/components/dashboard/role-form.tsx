"use client";
import { useFormAction } from "@/components/forms/use-form-action";
import { changeRoleAction } from "@/server/members/actions";
import { idleState } from "@/server/actions/action-state";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

export function RoleForm({ slug, membershipId, role, who }: { slug: string; membershipId: string; role: string; who: string }) {
  const [state, action] = useFormAction(changeRoleAction, idleState);
  const id = `role-${membershipId}`;
  return (
    <form action={action} className="inline-form">
      <input type="hidden" name="community" value={slug} />
      <input type="hidden" name="membershipId" value={membershipId} />
      <label htmlFor={id} className="visually-hidden">
        Role of {who}
      </label>
      <select id={id} name="role" defaultValue={role}>
        <option value="MEMBER">Member</option>
        <option value="ADMIN">Admin</option>
      </select>
      <SubmitButton className="secondary">
        Save<span className="visually-hidden"> role of {who}</span>
      </SubmitButton>
      {state.status === "error" ? <FormMessage state={state} /> : null}
    </form>
  );
}
