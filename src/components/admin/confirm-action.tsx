"use client";
// An admin action behind a confirmation step: a disclosure that explains what will happen,
// then the form with its button (and a field when the action needs one). Works without
// JavaScript: <details> opens natively and the form posts to the server action.
import { useFormAction } from "@/components/forms/use-form-action";
import type { ActionState } from "@/server/actions/action-state";
import { idleState } from "@/server/actions/action-state";
import { CheckboxField, SelectField, TextField, type Choice } from "@/components/forms/fields";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

type Field = { kind: "select"; name: string; label: string; options: Choice[] } | { kind: "text"; name: string; label: string; hint?: string };

type Props = {
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  hidden: Record<string, string>;
  label: string;
  explanation: string;
  confirmLabel: string;
  field?: Field;
  checkbox?: { name: string; label: string; hint?: string; defaultChecked?: boolean };
  danger?: boolean;
};

export function ConfirmAction({ action, hidden, label, explanation, confirmLabel, field, checkbox, danger }: Props) {
  const [state, formAction] = useFormAction(action, idleState);
  return (
    <details className="confirm-action" open={state.status !== "idle" ? true : undefined}>
      <summary className={danger ? "button danger" : "button secondary"}>{label}</summary>
      <form action={formAction} className="stack" noValidate>
        <p>{explanation}</p>
        {Object.entries(hidden).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        {field?.kind === "select" ? (
          <SelectField name={field.name} label={field.label} options={field.options} defaultValue={state.values?.[field.name]} error={state.fields?.[field.name]} />
        ) : null}
        {field?.kind === "text" ? (
          <TextField
            name={field.name}
            label={field.label}
            hint={field.hint}
            autoComplete="off"
            spellCheck={false}
            defaultValue={state.status === "error" ? state.values?.[field.name] : ""}
            error={state.fields?.[field.name]}
          />
        ) : null}
        {checkbox ? (
          <CheckboxField
            name={checkbox.name}
            label={checkbox.label}
            hint={checkbox.hint}
            defaultChecked={state.status === "error" ? state.values?.[checkbox.name] === "on" : checkbox.defaultChecked}
          />
        ) : null}
        <SubmitButton className={danger ? "danger" : undefined}>{confirmLabel}</SubmitButton>
        <FormMessage state={state} />
      </form>
    </details>
  );
}
