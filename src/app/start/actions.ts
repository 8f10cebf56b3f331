"use server";
import { redirect } from "next/navigation";
import { withAction } from "@/server/actions/with-action";
import { createCommunity } from "@/server/communities/create-community";
import { createCommunitySchema } from "@/server/communities/schemas";

export const createCommunityAction = withAction(createCommunitySchema, async (input, { actor }) => {
  const community = await createCommunity(actor, input);
  redirect(`/dashboard/${community.slug}?created=1`);
});
