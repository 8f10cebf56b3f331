"use server";
// The admin area's host settings form (host permission admin.settings.write).
import { refresh } from "next/cache";
import { withHostAction } from "@/server/actions/with-action";
import { requestOrigin } from "@/server/audit/request-origin";
import { hostSettingsSchema } from "./schemas";
import { updateHostSettings } from "./update-host-settings";
import { forgetImageAvailability } from "@/server/provisioning";

export const updateSettingsAction = withHostAction("admin.settings.write", hostSettingsSchema, async (input, { actor }) => {
  await updateHostSettings(actor, await requestOrigin(), input);
  // The offered versions decide the images new instances get: the last check no longer holds;
  // /admin and the start page check again when they are next opened.
  await forgetImageAvailability();
  refresh();
  return { message: "Settings saved." };
});
