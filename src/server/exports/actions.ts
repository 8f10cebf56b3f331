"use server";
// The dashboard's export form: the owner asks for an archive of the instance.
import { refresh } from "next/cache";
import { withAction } from "@/server/actions/with-action";
import { instanceRequestSchema } from "@/server/provisioning";
import { requestExport } from "./request-export";
import { requestArchiveOperation } from "./request-restore";
import { archiveRequestSchema } from "./schemas";

export const requestExportAction = withAction(instanceRequestSchema, async (input, { actor }) => {
  await requestExport(actor, input);
  refresh();
  return { message: "Export queued." };
});

export const requestRestoreAction = withAction(archiveRequestSchema, async (input, { actor }) => {
  await requestArchiveOperation(actor, input, "RESTORE");
  refresh();
  return { message: "Restore queued: the server stops for it and its current state is exported first." };
});

export const requestVerifyAction = withAction(archiveRequestSchema, async (input, { actor }) => {
  await requestArchiveOperation(actor, input, "VERIFY");
  refresh();
  return { message: "Verification queued." };
});
