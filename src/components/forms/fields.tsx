// Form fields with their label, hint and error wired for assistive technology. No hooks:
// usable from server and client components alike.
import type { ReactNode } from "react";

type Common = { name: string; label: string; hint?: ReactNode; error?: string; id?: string };

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  return [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
}

function FieldText({ id, hint, error }: { id: string; hint?: ReactNode; error?: string }) {
  return (
    <>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </>
  );
}

type TextFieldProps = Common & {
  type?: "text" | "email" | "password" | "search";
  defaultValue?: string;
  required?: boolean;
  maxLength?: number;
  autoComplete?: string;
  pattern?: string;
  spellCheck?: boolean;
  inputMode?: "text" | "email" | "url" | "numeric";
  minLength?: number;
};

export function TextField({ name, label, hint, error, id = `field-${name}`, type = "text", ...input }: TextFieldProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} type={type} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} {...input} />
      <FieldText id={id} hint={hint} error={error} />
    </div>
  );
}

type TextAreaProps = Common & { defaultValue?: string; maxLength?: number; rows?: number };

export function TextArea({ name, label, hint, error, id = `field-${name}`, rows = 4, ...input }: TextAreaProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} name={name} rows={rows} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} {...input} />
      <FieldText id={id} hint={hint} error={error} />
    </div>
  );
}

export type Choice = { value: string; label: string; hint?: string };

/** Radio buttons in a fieldset: for a handful of options that deserve a description each. */
export function Choices({ name, label, hint, error, id = `field-${name}`, choices, defaultValue, required }: Common & {
  choices: Choice[];
  defaultValue?: string;
  required?: boolean;
}) {
  return (
    <fieldset className="field choices" aria-describedby={describedBy(id, hint, error)}>
      <legend>{label}</legend>
      <FieldText id={id} hint={hint} error={error} />
      {choices.map((choice) => (
        <label key={choice.value} className="choice">
          <input
            type="radio"
            name={name}
            value={choice.value}
            defaultChecked={choice.value === defaultValue}
            required={required}
          />
          <span>
            <strong>{choice.label}</strong>
            {choice.hint ? <span className="hint"> {choice.hint}</span> : null}
          </span>
        </label>
      ))}
    </fieldset>
  );
}

export function SelectField({ name, label, hint, error, id = `field-${name}`, options, defaultValue }: Common & {
  options: Choice[];
  defaultValue?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={defaultValue} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldText id={id} hint={hint} error={error} />
    </div>
  );
}

/** One checkbox with its label; unchecked sends nothing, checked sends "on". */
export function CheckboxField({ name, label, hint, error, id = `field-${name}`, defaultChecked }: Common & { defaultChecked?: boolean }) {
  return (
    <div className="field checkbox">
      <input id={id} name={name} type="checkbox" defaultChecked={defaultChecked} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} />
      <label htmlFor={id}>{label}</label>
      <FieldText id={id} hint={hint} error={error} />
    </div>
  );
}
