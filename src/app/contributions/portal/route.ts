import { NextResponse } from "next/server";
import { getActor } from "@/server/auth/current-actor";
import { createPortalSession } from "@/server/billing/create-portal-session";
import { AppError } from "@/server/errors/app-error";
import { refuseBody } from "@/server/http/body-limit";
import { publicUrl } from "@/server/site/public-url";

// GET /contributions/portal: the "update my card" link of a payment-failed mail. Portal sessions
// expire within minutes, so the mail links here and a fresh one is made for the signed-in person.
export async function GET(request: Request) {
  const refused = refuseBody(request);
  if (refused) return refused;
  const actor = await getActor();
  if (!actor) return NextResponse.redirect(publicUrl(`/sign-in?callbackUrl=${encodeURIComponent("/contributions/portal")}`), 303);
  try {
    return NextResponse.redirect(await createPortalSession(actor.id), 303);
  } catch (error) {
    if (error instanceof AppError) return NextResponse.redirect(publicUrl("/contributions"), 303);
    throw error;
  }
}
