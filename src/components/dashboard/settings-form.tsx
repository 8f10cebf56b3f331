"use client";
import { useFormAction } from "@/components/forms/use-form-action";
import { updateSettingsAction } from "@/server/communities/actions";
import { idleState } from "@/server/actions/action-state";
import { DESCRIPTION_MAX, NAME_MAX, RULES_MAX } from "@/lib/community-limits";
import { TextArea, TextField } from "@/components/forms/fields";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

type Props = { slug: string; name: string; description: string; rules: string };

export function SettingsForm({ slug, name, description, rules }: Props) {
  const [state, action] = useFormAction(updateSettingsAction, idleState);
  // After an error, show what was typed; otherwise what is saved.
  const values = state.status === "error" ? (state.values ?? {}) : { name, description, rules };
  const errors = state.fields ?? {};
  return (
    <form action={action} className="stack" noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="community" value={slug} />
      <TextField name="name" label="Community name" required defaultValue={values.name} error={errors.name} hint={`Up to ${NAME_MAX} characters.`} />
      <TextArea name="description" label="Short description" rows={3} defaultValue={values.description} error={errors.description} hint={`Up to ${DESCRIPTION_MAX} characters of plain text.`} />
      <TextArea name="rules" label="Rules" rows={8} defaultValue={values.rules} error={errors.rules} hint={`Up to ${RULES_MAX} characters of plain text.`} />
      <SubmitButton pendingText="Saving…">Save settings</SubmitButton>
    </form>
  );
}
