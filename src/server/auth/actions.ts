"use server";
// Sign-up, sign-in and sign-out forms. The session they start is next-auth's JWT cookie.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { withPublicAction } from "@/server/actions/with-action";
import { safeRedirectPath } from "@/lib/redirect-target";
import { clientAddress } from "./client-address";
import { signInSchema, signUpSchema } from "./schemas";
import { endSession, startSession } from "./session-actions";
import { verifyCredentials } from "./sign-in";
import { signUp } from "./sign-up";

const callback = { callbackUrl: z.string().max(500).optional() };

export const signUpAction = withPublicAction(signUpSchema.extend(callback), async (input) => {
  const user = await signUp(input, { address: clientAddress(await headers()) });
  await startSession(user);
  redirect(safeRedirectPath(input.callbackUrl, "/start"));
});

export const signInAction = withPublicAction(signInSchema.extend(callback), async (input) => {
  const user = await verifyCredentials(input, { address: clientAddress(await headers()) });
  await startSession(user);
  redirect(safeRedirectPath(input.callbackUrl));
});

export async function signOutAction(): Promise<void> {
  await endSession();
  redirect("/");
}
