"use client";
import { useFormAction } from "@/components/forms/use-form-action";
import { updateInstanceRelayAction } from "@/server/mail/relay-actions";
import { idleState } from "@/server/actions/action-state";
import { SelectField, TextField } from "@/components/forms/fields";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

type Props = {
  relay: { host: string; port: number; tls: string; user: string | null; hasPassword: boolean; from: string; source: string } | null;
};

const TLS = [
  { value: "auto", label: "STARTTLS when the relay offers it" },
  { value: "starttls", label: "STARTTLS, required" },
  { value: "tls", label: "TLS from the start (usually port 465)" },
  { value: "none", label: "None (a relay on the same private network only)" },
];

export function InstanceRelayForm({ relay }: Props) {
  const [state, action] = useFormAction(updateInstanceRelayAction, idleState);
  const v = state.values ?? {};
  const own = relay?.source === "host setting" ? relay : null;
  return (
    <form action={action} className="stack" noValidate>
      <FormMessage state={state} />
      <p className="hint">
        {relay
          ? `Now: ${relay.host}:${relay.port} as ${relay.from} (${relay.source}).`
          : "Now: none. Instances cannot send mail (sign-up confirmations, password resets) until a relay is set here or Hearth has SMTP_URL."}
      </p>
      <TextField name="host" label="Relay host" hint="Empty: instances use Hearth's own relay (SMTP_URL), if any." defaultValue={v.host ?? own?.host ?? ""} error={state.fields?.host} />
      <TextField name="port" label="Port" inputMode="text" defaultValue={v.port ?? String(own?.port ?? 587)} error={state.fields?.port} />
      <SelectField name="tls" label="Encryption" options={TLS} defaultValue={v.tls ?? own?.tls ?? "auto"} error={state.fields?.tls} />
      <TextField name="user" label="Login (optional)" autoComplete="off" defaultValue={v.user ?? own?.user ?? ""} error={state.fields?.user} />
      <TextField
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        hint={own?.hasPassword ? "Stored (encrypted). Leave empty to keep it." : "Stored encrypted."}
        error={state.fields?.password}
      />
      {own?.hasPassword ? (
        <label className="choice">
          <input type="checkbox" name="clearPassword" /> <span>Remove the stored password</span>
        </label>
      ) : null}
      <TextField name="from" label="Sender" hint="{domain} becomes each instance's domain." defaultValue={v.from ?? relay?.from ?? "notifications@{domain}"} error={state.fields?.from} />
      <SubmitButton pendingText="Saving…">Save the relay for instances</SubmitButton>
    </form>
  );
}
