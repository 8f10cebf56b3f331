"use server";
import { refresh } from "next/cache";
import { withHostAction } from "@/server/actions/with-action";
import { requestOrigin } from "@/server/audit/request-origin";
import { instanceRelaySchema, updateInstanceRelay } from "@/server/mail/update-instance-relay";

export const updateInstanceRelayAction = withHostAction("admin.settings.write", instanceRelaySchema, async (input, { actor }) => {
  await updateInstanceRelay(actor, await requestOrigin(), input);
  refresh();
  return { message: input.host ? "Saved. New instances get it; running ones when they next start." : "Removed: instances use Hearth's own relay." };
});
