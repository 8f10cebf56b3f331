"use server";
// The dashboard's export form: the owner asks for an archive of the instance.
import { refresh } from "next/cache";
import { withAction } from "@/server/actions/with-action";
import { instanceRequestSchema } from "@/server/provisioning";
import { requestExport } from "./request-export";

export const requestExportAction = withAction(instanceRequestSchema, async (input, { actor }) => {
  await requestExport(actor, input);
  refresh();
  return { message: "Export queued." };
});
