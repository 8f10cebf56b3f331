"use client";
// "Check DNS now": asks for the community's own domain to be looked up again and says the answer.
import { useFormAction } from "@/components/forms/use-form-action";
import { idleState } from "@/server/actions/action-state";
import { checkDomainAction } from "@/server/domains/actions";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

export function CheckDomainForm({ slug }: { slug: string }) {
  const [state, action] = useFormAction(checkDomainAction, idleState);
  return (
    <form action={action} className="stack">
      <input type="hidden" name="community" value={slug} />
      <FormMessage state={state} />
      <SubmitButton className="secondary" pendingText="Checking…">
        Check DNS now
      </SubmitButton>
    </form>
  );
}
