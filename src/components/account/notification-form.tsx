"use client";
import { useFormAction } from "@/components/forms/use-form-action";
import { saveNotificationsAction } from "@/server/mail/settings-actions";
import { idleState } from "@/server/actions/action-state";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

export function NotificationForm({ topics }: { topics: { topic: string; label: string; on: boolean }[] }) {
  const [state, action] = useFormAction(saveNotificationsAction, idleState);
  return (
    <form action={action} className="stack" noValidate>
      <FormMessage state={state} />
      <fieldset className="field choices">
        <legend>Mail me about</legend>
        {topics.map((t) => (
          <label key={t.topic} className="choice">
            <input type="checkbox" name={t.topic} defaultChecked={t.on} />
            <span>{t.label}</span>
          </label>
        ))}
      </fieldset>
      <SubmitButton pendingText="Saving…">Save</SubmitButton>
    </form>
  );
}
