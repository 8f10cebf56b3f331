"use server";
// Account settings: sessions, password, the host admins' second factor.
import { redirect } from "next/navigation";
import { z } from "zod";
import { safeRedirectPath } from "@/lib/redirect-target";
import { withAction } from "@/server/actions/with-action";
import { changePassword } from "@/server/auth/change-password";
import { changePasswordSchema } from "@/server/auth/schemas";
import { clearSessionCookie } from "@/server/auth/session-actions";
import { endOwnSession, endSessionsOf } from "@/server/auth/sessions";
import { confirmTotpEnrolment, verifySecondFactor } from "@/server/auth/two-factor/second-factor";

export const changePasswordAction = withAction(changePasswordSchema, async (input, { actor }) => {
  const { endedSessions } = await changePassword(actor, input);
  return {
    message:
      endedSessions > 0
        ? `Your password is changed. ${endedSessions === 1 ? "One other session was" : `${endedSessions} other sessions were`} signed out.`
        : "Your password is changed.",
  };
});

export const endSessionAction = withAction(z.object({ session: z.string().trim().min(1).max(40) }), async (input, { actor }) => {
  await endOwnSession(actor.id, input.session);
  if (input.session === actor.sessionId) {
    await clearSessionCookie();
    redirect("/");
  }
  redirect("/account?ended=1");
});

export const signOutEverywhereAction = withAction(z.object({}), async (_input, { actor }) => {
  await endSessionsOf(actor.id, "signed-out-everywhere");
  await clearSessionCookie();
  redirect("/");
});

const callback = { callbackUrl: z.string().max(1000).optional() };

export const confirmTotpAction = withAction(
  z.object({ code: z.string().trim().max(20), password: z.string().max(200).optional(), ...callback }),
  async (input, { actor }) => {
    const codes = await confirmTotpEnrolment(actor, input);
    return { message: "Two-factor sign-in is on.", data: { recoveryCodes: codes.join(" "), next: safeRedirectPath(input.callbackUrl, "/admin") } };
  },
);

export const verifySecondFactorAction = withAction(z.object({ code: z.string().trim().max(40), ...callback }), async (input, { actor }) => {
  await verifySecondFactor(actor, input.code);
  redirect(safeRedirectPath(input.callbackUrl, "/admin"));
});
