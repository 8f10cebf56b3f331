"use client";
import { useFormAction } from "@/components/forms/use-form-action";
import { updateSettingsAction } from "@/server/settings/actions";
import { idleState } from "@/server/actions/action-state";
import { TextField } from "@/components/forms/fields";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { SOFTWARE_LABEL } from "@/components/labels";
import type { Software } from "@/generated/prisma/enums";

type Props = {
  revision: string;
  enabledSoftware: Software[];
  versions: Record<Software, string[]>;
  graceDays: number;
  hostFeeCents: number;
  currency: string;
};

const ALL: Software[] = ["MASTODON", "MISSKEY", "SHARKEY", "BLUESKY_PDS"];

export function SettingsForm(props: Props) {
  const [state, action] = useFormAction(updateSettingsAction, idleState);
  const v = state.values;
  return (
    <form action={action} className="stack" noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="revision" value={props.revision} />
      <fieldset className="field choices">
        <legend>Software offered to new communities, and its versions</legend>
        {state.fields?.enabled_MASTODON ? <p className="error">{state.fields.enabled_MASTODON}</p> : null}
        {ALL.map((software) => (
          <div key={software} className="software-setting">
            <label className="checkbox">
              <input
                type="checkbox"
                name={`enabled_${software}`}
                defaultChecked={v ? v[`enabled_${software}`] === "on" : props.enabledSoftware.includes(software)}
              />{" "}
              {SOFTWARE_LABEL[software]}
            </label>
            <TextField
              name={`versions_${software}`}
              label={`${SOFTWARE_LABEL[software]} versions`}
              hint="Image tags, newest first, separated by commas. Upgrades can move a tenant to any of them."
              defaultValue={v?.[`versions_${software}`] ?? props.versions[software].join(", ")}
              error={state.fields?.[`versions_${software}`]}
            />
          </div>
        ))}
      </fieldset>
      <TextField
        name="graceDays"
        label="Grace period (days)"
        hint="How long an instance keeps running after its funding falls short, before it is suspended."
        defaultValue={v?.graceDays ?? String(props.graceDays)}
        error={state.fields?.graceDays}
      />
      <TextField
        name="hostFee"
        label={`Host fee per community and month (${props.currency.toUpperCase()})`}
        hint="Added to every plan's price."
        defaultValue={v?.hostFee ?? (props.hostFeeCents / 100).toFixed(2)}
        error={state.fields?.hostFee}
      />
      <SubmitButton>Save settings</SubmitButton>
    </form>
  );
}
