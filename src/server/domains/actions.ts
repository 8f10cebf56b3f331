"use server";
// The dashboard's "Check DNS now" form: names its community in a hidden field; the domain
// function checks the signed-in person's permission in that community again.
import { refresh } from "next/cache";
import { z } from "zod";
import { withAction } from "@/server/actions/with-action";
import { AppError } from "@/server/errors/app-error";
import { communityRef } from "@/lib/community-ref";
import { checkCommunityDomain } from "./check-community-domain";

export const checkDomainAction = withAction(z.object({ community: communityRef }), async (input, { actor }) => {
  const check = await checkCommunityDomain(actor, input);
  refresh();
  if (!check.ok) throw new AppError("UNPROCESSABLE", check.message);
  return { message: `Your domain points at this host (its ${check.via === "CNAME" ? "CNAME record" : `${check.via} records`}). It is verified.` };
});
