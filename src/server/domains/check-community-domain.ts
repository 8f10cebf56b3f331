// The organiser's "Check DNS now": the community's owner or an admin asks for its own domain to be
// checked again; the answer is recorded (verifiedAt) and returned, named, for the form.
import "server-only";
import { authorizeCommunity } from "@/server/auth/community-access";
import type { Actor } from "@/server/auth/permissions";
import { AppError } from "@/server/errors/app-error";
import { consume, minutesText } from "@/server/rate-limit/rate-limit";
import { deliverInstanceRequests } from "@/server/funding";
import type { DomainCheck } from "./check-domain-dns";
import { verifyOwnDomain } from "./verify-own-domain";

/** Each check is DNS queries from this host: a few a minute are plenty for someone editing records. */
const CHECKS_PER_COMMUNITY = { bucket: "domain-check", max: 20, windowSeconds: 3600 };

/** Owner and admins only (community.write): a member is refused, a stranger learns nothing ("not found"). */
export async function checkCommunityDomain(actor: Actor, input: { community: string }): Promise<DomainCheck> {
  const { community } = await authorizeCommunity(actor, input.community, "community.write");
  const limited = await consume(CHECKS_PER_COMMUNITY, community.id);
  if (!limited.allowed) throw new AppError("RATE_LIMITED", `The domain was checked many times this hour. Try again in ${minutesText(limited.retryAfterSeconds)}.`);
  const check = await verifyOwnDomain(community.id);
  // A funded community's first instance request waited for this: deliver it now, not at the next clock tick.
  if (check.ok) await deliverInstanceRequests([community.id]);
  return check;
}
