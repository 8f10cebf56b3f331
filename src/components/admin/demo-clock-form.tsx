"use client";
// The demo clock on a tenant page (non-production Hearth only): move this community's funding
// time forward, its contributors' renewals paid or declined, to show grace, suspension and
// recovery on a running Hearth.
import { useFormAction } from "@/components/forms/use-form-action";
import { advanceDemoClockAction } from "@/server/admin/actions";
import { idleState } from "@/server/actions/action-state";
import { SelectField } from "@/components/forms/fields";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

const STEPS = [
  { value: "day", label: "1 day" },
  { value: "week", label: "1 week" },
  { value: "fortnight", label: "2 weeks" },
  { value: "month", label: "1 month" },
];
const RENEWALS = [
  { value: "paid", label: "Paid" },
  { value: "failed", label: "Declined" },
];

export function DemoClockForm({ communityId }: { communityId: string }) {
  const [state, action] = useFormAction(advanceDemoClockAction, idleState);
  return (
    <form action={action} className="stack" noValidate>
      <input type="hidden" name="communityId" value={communityId} />
      <SelectField name="step" label="Move funding time forward by" options={STEPS} defaultValue={state.values?.step ?? "month"} error={state.fields?.step} />
      <SelectField name="renewals" label="Contributors' renewals in that time" options={RENEWALS} defaultValue={state.values?.renewals ?? "paid"} error={state.fields?.renewals} />
      <SubmitButton pendingText="Moving time…">Move time forward</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
