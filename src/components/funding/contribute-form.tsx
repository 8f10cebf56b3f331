"use client";
// Monthly contribution: a preset or a custom amount in the host's currency, shown by name or
// anonymously, with an optional message. Works without JavaScript (a plain form post).
import { useFormAction } from "@/components/forms/use-form-action";
import { contributeAction } from "@/server/funding/actions";
import { idleState } from "@/server/actions/action-state";
import { Choices, TextArea, TextField } from "@/components/forms/fields";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

type Props = {
  slug: string;
  currency: string;
  presets: { value: string; label: string }[];
  max: string;
  defaultName: string;
};

export function ContributeForm({ slug, currency, presets, max, defaultName }: Props) {
  const [state, action] = useFormAction(contributeAction, idleState);
  const values = state.values ?? {};
  const errors = state.fields ?? {};
  const code = currency.toUpperCase();
  return (
    <form action={action} className="stack" noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="community" value={slug} />
      <input type="hidden" name="currency" value={currency} />
      <Choices
        name="amount"
        label={`Amount per month (${code})`}
        choices={[...presets, { value: "custom", label: "Another amount" }]}
        required
        defaultValue={values.amount ?? presets[1]?.value ?? presets[0]?.value}
        error={errors.amount ?? errors.currency}
      />
      <TextField
        name="customAmount"
        label={`Another amount (${code})`}
        defaultValue={values.customAmount}
        error={errors.customAmount}
        hint={`Used when “Another amount” is chosen. From 1 to ${max}, up to two decimals.`}
      />
      <Choices
        name="visibility"
        label="In the supporters list"
        choices={[
          { value: "public", label: "Show my name", hint: "Your name and message appear on the community page." },
          { value: "anonymous", label: "Stay anonymous", hint: "You are counted, never named." },
        ]}
        required
        defaultValue={values.visibility ?? "public"}
        error={errors.visibility}
      />
      <TextField name="publicName" label="Name to show" maxLength={60} defaultValue={values.publicName ?? defaultName} error={errors.publicName} />
      <TextArea name="message" label="Message (optional)" rows={2} maxLength={140} defaultValue={values.message} error={errors.message} hint="Up to 140 characters, shown with your name." />
      <SubmitButton pendingText="Opening checkout…">Continue to payment</SubmitButton>
    </form>
  );
}
