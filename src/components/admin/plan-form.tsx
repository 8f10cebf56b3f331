"use client";
// Create or edit a plan. Prices are typed in whole currency units ("15" or "2.50").
import { useFormAction } from "@/components/forms/use-form-action";
import { createPlanAction, updatePlanAction } from "@/server/plans/actions";
import { idleState } from "@/server/actions/action-state";
import { TextField } from "@/components/forms/fields";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

export type PlanValues = {
  id: string;
  slug: string;
  name: string;
  memoryMb: number;
  cpuMillis: number;
  diskGb: number;
  monthlyCost: number;
  sortOrder: number;
  active: boolean;
  updatedAt: string;
};

export function PlanForm({ plan, currency }: { plan?: PlanValues; currency: string }) {
  const [state, action] = useFormAction(plan ? updatePlanAction : createPlanAction, idleState);
  const value = (name: keyof PlanValues, fallback: string) => state.values?.[name] ?? (plan ? String(plan[name]) : fallback);
  const id = (name: string) => `plan-${plan?.id ?? "new"}-${name}`;
  return (
    <form action={action} className="stack plan-form" noValidate>
      <FormMessage state={state} />
      {plan ? (
        <>
          <input type="hidden" name="planId" value={plan.id} />
          <input type="hidden" name="updatedAt" value={plan.updatedAt} />
        </>
      ) : (
        <TextField id={id("slug")} name="slug" label="Short name" hint="Lowercase letters, digits, dashes; cannot change later." defaultValue={value("slug", "")} error={state.fields?.slug} />
      )}
      <TextField id={id("name")} name="name" label="Name" defaultValue={value("name", "")} error={state.fields?.name} maxLength={40} />
      <div className="grid-3">
        <TextField id={id("memoryMb")} name="memoryMb" label="Memory (MB)" defaultValue={value("memoryMb", "2048")} error={state.fields?.memoryMb} inputMode="text" />
        <TextField id={id("cpuMillis")} name="cpuMillis" label="CPU (millicores)" defaultValue={value("cpuMillis", "1000")} error={state.fields?.cpuMillis} />
        <TextField id={id("diskGb")} name="diskGb" label="Disk (GB)" defaultValue={value("diskGb", "20")} error={state.fields?.diskGb} />
      </div>
      <div className="grid-3">
        <TextField
          id={id("monthlyCost")}
          name="monthlyCost"
          label={`Monthly price (${currency.toUpperCase()})`}
          defaultValue={state.values?.monthlyCost ?? (plan ? (plan.monthlyCost / 100).toFixed(2) : "")}
          error={state.fields?.monthlyCost}
        />
        <TextField id={id("sortOrder")} name="sortOrder" label="Order" defaultValue={value("sortOrder", "0")} error={state.fields?.sortOrder} />
        <div className="field">
          <label className="checkbox">
            <input type="checkbox" name="active" defaultChecked={state.values ? state.values.active === "on" : (plan?.active ?? true)} /> Offered to new communities
          </label>
        </div>
      </div>
      <SubmitButton>{plan ? "Save plan" : "Create plan"}</SubmitButton>
    </form>
  );
}
