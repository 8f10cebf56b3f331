"use server";
import { withAction, withPublicAction } from "@/server/actions/with-action";
import { notificationSettingsSchema, saveNotificationSettings, unsubscribe } from "@/server/mail/notification-settings";
import { tokenSchema } from "@/server/auth/mail-schemas";

export const saveNotificationsAction = withAction(notificationSettingsSchema, async (input, { actor }) => {
  await saveNotificationSettings(actor.id, input);
  return { message: "Saved." };
});

// From the link in a mail: the signed token names the person and the topic, no sign-in needed.
export const unsubscribeAction = withPublicAction(tokenSchema, async (input) => {
  const { label } = await unsubscribe(input.token);
  return { message: `Done: no more mail about “${label}”. You can turn it back on under Settings.` };
});
