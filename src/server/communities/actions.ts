"use server";
// Forms that create a community and edit or delete it from its dashboard. Each dashboard form
// names its community in a hidden field; the domain function checks the signed-in person's
// permission in that community again.
import { refresh } from "next/cache";
import { redirect } from "next/navigation";
import { withAction } from "@/server/actions/with-action";
import { createCommunity } from "./create-community";
import { deleteCommunity } from "./delete-community";
import { createCommunitySchema, deleteCommunitySchema, updateSettingsSchema } from "./schemas";
import { updateCommunitySettings } from "./update-community-settings";

export const createCommunityAction = withAction(createCommunitySchema, async (input, { actor }) => {
  const community = await createCommunity(actor, input);
  redirect(`/dashboard/${community.slug}?created=1`);
});

export const updateSettingsAction = withAction(updateSettingsSchema, async (input, { actor }) => {
  await updateCommunitySettings(actor, input);
  refresh();
  return { message: "Settings saved." };
});

export const deleteCommunityAction = withAction(deleteCommunitySchema, async (input, { actor }) => {
  await deleteCommunity(actor, input);
  redirect("/dashboard?deleted=1");
});
