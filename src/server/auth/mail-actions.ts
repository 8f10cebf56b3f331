"use server";
// Account mail: forgot password, reset, address verification and change. Thin: each calls its
// domain function in src/server/auth.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { withAction, withPublicAction } from "@/server/actions/with-action";
import { confirmEmailChange, requestEmailChange } from "@/server/auth/change-email";
import { clientAddress } from "@/server/auth/client-address";
import { resendVerification, verifyEmail } from "@/server/auth/email-verification";
import { changeEmailSchema, forgotPasswordSchema, resetPasswordSchema, tokenSchema } from "@/server/auth/mail-schemas";
import { requestPasswordReset, resetPassword } from "@/server/auth/password-reset";
import { z } from "zod";

export const forgotPasswordAction = withPublicAction(forgotPasswordSchema, async (input) => {
  return { message: await requestPasswordReset(input.email, { address: clientAddress(await headers()) }) };
});

export const resetPasswordAction = withPublicAction(resetPasswordSchema, async (input) => {
  await resetPassword(input);
  redirect("/sign-in?reset=1");
});

export const verifyEmailAction = withPublicAction(tokenSchema, async (input, { actor }) => {
  await verifyEmail(input.token);
  redirect(actor ? "/start?verified=1" : "/sign-in?verified=1");
});

export const resendVerificationAction = withAction(z.object({}), async (_input, { actor }) => {
  const { email } = await resendVerification(actor.id);
  return { message: `A new link is on its way to ${email}.` };
});

export const changeEmailAction = withAction(changeEmailSchema, async (input, { actor }) => {
  const { email } = await requestEmailChange(actor.id, input);
  return { message: `To finish, open the link we sent to ${email}. Until then your address stays as it is.` };
});

export const confirmEmailChangeAction = withPublicAction(tokenSchema, async (input) => {
  await confirmEmailChange(input.token);
  redirect("/settings/email?changed=1");
});
