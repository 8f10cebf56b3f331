import "server-only";
import { Prisma } from "@/generated/prisma/client";
import type { Actor } from "@/server/auth/permissions";
import { env } from "@/server/config/env";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { recordAudit } from "@/server/audit/record-audit";
import { consume } from "@/server/rate-limit/rate-limit";
import { isEmailVerified } from "@/server/auth/email-verification";
import { imagesUnavailable, pdsDomainProblem } from "@/server/provisioning";
import { ownDomainProblem } from "@/lib/own-domain";
import { enabledSoftware } from "./enabled-software";
import { deletedByThemselves, TAKEN_BACK_DOMAIN, takeBack, takeBackSelect, type TakeBackRow } from "./move-back-in";
import type { CreateCommunityInput } from "./schemas";

const TAKEN = "This address is taken. Choose another.";
const DOMAIN_TAKEN = "Another community on this host already uses this domain.";
// A deleted community keeps its address and domain: other servers still know its accounts by
// them, and a new server under the same name would be taken for the old one. Only its former
// owner may take them again, by moving its own export back in (the same accounts and keys).
const ADDRESS_OF_DELETED = "This address belonged to a community that was deleted. It is not given out again, because other servers still know that community's accounts by it. Choose another.";
const DOMAIN_OF_DELETED =
  "This domain belonged to a community deleted from this host. A new server is not set up on it here: other servers still know the old one's accounts by it, and would not trust a new one under the same name.";
const yoursDeleted = (what: "address" | "domain", name: string) =>
  `This ${what} belonged to your community “${name}”, which was deleted. To bring it back with its accounts and posts, choose “Move in from an export” below and upload its archive (Your communities lists it). A new, empty server cannot take it: other servers still know the old one's accounts by it.`;
const STILL_TEARING_DOWN = "That community's old server is still being removed. Try again once it is gone (usually a few minutes).";
const keepBoth = (holder: TakeBackRow) =>
  `To bring “${holder.name}” back, keep both its address “${holder.slug}” and its domain ${holder.domain ?? ""}: a server keeps its names when it moves back in.`;

/**
 * What stands in the way of taking an address or domain another community holds: null when it
 * is a deleted community this person may take back (move-back-in.ts), moving in.
 */
async function heldProblem(holder: TakeBackRow, actor: Actor, moveIn: boolean, what: "address" | "domain"): Promise<string | null> {
  if (!holder.deletedAt) return what === "address" ? TAKEN : DOMAIN_TAKEN;
  const may = takeBack(holder, actor, (await deletedByThemselves(actor, [holder.id])).has(holder.id));
  if (may === "never") return what === "address" ? ADDRESS_OF_DELETED : DOMAIN_OF_DELETED;
  if (!moveIn) return yoursDeleted(what, holder.name);
  if (may === "later") return STILL_TEARING_DOWN;
  return null;
}

export const UNVERIFIED_OWNER =
  "Confirm your email address first: open the link we mailed you. Starting a community needs a confirmed address.";

// Stops one account from squatting on many addresses.
export const CREATE_PER_ACCOUNT = { bucket: "community-create:account", max: 10, windowSeconds: 24 * 60 * 60 };

/**
 * Starts a community: it waits for funding (AWAITING_FUNDING) and is public from the start
 * so people can find and fund it. The owner's membership is created in the same transaction.
 */
export async function createCommunity(
  actor: Actor,
  input: Omit<CreateCommunityInput, "domainKind" | "ownDomain" | "start"> & Partial<Pick<CreateCommunityInput, "domainKind" | "ownDomain" | "start">>,
) {
  // An owner answers for the community's money and mail: the address must be known to work.
  if (!(await isEmailVerified(actor.id))) throw new AppError("FORBIDDEN", UNVERIFIED_OWNER);
  const fields: Record<string, string> = {};
  const own = input.domainKind === "own";
  // Chosen once: a later change of the base domain never touches this community.
  const domain = own ? (input.ownDomain ?? "") : `${input.address}.${env().HEARTH_BASE_DOMAIN}`;
  const moveIn = input.start === "move-in";
  // Communities holding the address or the domain, and the field that says so.
  const held: { holder: TakeBackRow; field: "address" | "ownDomain" }[] = [];
  if (own) {
    const problem = ownDomainProblem(domain, env().HEARTH_BASE_DOMAIN);
    if (problem) fields.ownDomain = problem;
    else {
      const holder = await db.community.findUnique({ where: { domain }, select: takeBackSelect });
      if (holder) held.push({ holder, field: "ownDomain" });
    }
  }
  if (!(await enabledSoftware()).includes(input.software)) {
    fields.software = "This host does not offer that software. Choose one of the listed options.";
  } else if (input.software === "BLUESKY_PDS" && pdsDomainProblem(domain)) {
    // Said now rather than after members have paid for a server that could create no account.
    fields.software = pdsDomainProblem(domain) ?? "";
  } else if (await imagesUnavailable(input.software)) {
    // Nobody should pay for a server that cannot be set up (the host's last image check).
    fields.software = "This software cannot be set up on this host right now (its images are not available). Choose another, or try again later.";
  }
  const plan = await db.plan.findFirst({ where: { id: input.planId, active: true }, select: { id: true } });
  if (!plan) fields.planId = "Choose one of the listed plans.";
  const [bySlug, byDomain] = await Promise.all([
    db.community.findUnique({ where: { slug: input.address }, select: takeBackSelect }),
    // <address>.<base domain> is held by the same community as the address, unless the base domain changed since.
    own ? null : db.community.findUnique({ where: { domain }, select: takeBackSelect }),
  ]);
  // Each community once (the address's usually holds <address>.<base domain> too).
  for (const holder of [bySlug, byDomain]) if (holder && !held.some((h) => h.holder.id === holder.id)) held.push({ holder, field: "address" });
  // A deleted community of this person's moving back in: it gives up its names together, both
  // to this community, or none (one given up alone would be free for anyone, for good).
  let freed: TakeBackRow | null = null;
  for (const { holder, field } of held) {
    const problem = await heldProblem(holder, actor, moveIn, field === "ownDomain" ? "domain" : "address");
    if (problem) fields[field] ??= problem;
    else if (freed && freed.id !== holder.id) fields.address ??= keepBoth(holder);
    else freed = holder;
  }
  if (freed && (freed.slug !== input.address || freed.domain !== domain)) fields.address ??= keepBoth(freed);
  if (Object.keys(fields).length > 0) throw new AppError("UNPROCESSABLE", "Some fields need attention.", fields);

  const limited = await consume(CREATE_PER_ACCOUNT, actor.id);
  if (!limited.allowed) throw new AppError("RATE_LIMITED", "You have started many communities today. Try again tomorrow.");

  try {
    return await db.$transaction(async (tx) => {
      // A deleted community of this person's gives its address and domain to the one that moves
      // it back in: it keeps its id, archives and history under a name no address can have.
      if (freed) {
        // Only as read above: a second submission that got here first has renamed it already.
        const [row] = await tx.$queryRaw<{ id: string }[]>`
          UPDATE "Community" SET "slug" = "slug" || '.deleted-' || "id", "domain" = "id" || ${TAKEN_BACK_DOMAIN}
          WHERE "id" = ${freed.id} AND "deletedAt" IS NOT NULL AND "ownerId" = ${actor.id}
            AND "slug" = ${freed.slug} AND "domain" IS NOT DISTINCT FROM ${freed.domain}
          RETURNING "id"`;
        if (!row) throw new AppError("CONFLICT", "Some fields need attention.", { address: TAKEN });
      }
      const community = await tx.community.create({
        data: {
          slug: input.address,
          domain,
          // An own domain is routed, certified and set up only once its DNS records are verified.
          domainOwn: own,
          name: input.name,
          description: input.description,
          rules: input.rules,
          software: input.software,
          status: "AWAITING_FUNDING",
          planId: input.planId,
          ownerId: actor.id,
          memberships: { create: { userId: actor.id, role: "OWNER" } },
          ...(moveIn ? { moveIn: { create: {} } } : {}),
        },
        select: { id: true, slug: true },
      });
      await recordAudit(tx, {
        actorId: actor.id,
        communityId: community.id,
        action: "community.created",
        data: { slug: community.slug, ...(moveIn ? { start: "move-in" } : {}), ...(freed ? { takesBackFrom: freed.id } : {}) },
      });
      if (freed) {
        await recordAudit(tx, { actorId: actor.id, communityId: freed.id, action: "community.name_taken_back", data: { by: community.id, slug: freed.slug, domain: freed.domain } });
      }
      return community;
    });
  } catch (error) {
    // Two people racing for the same address: the unique index decides.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const field: Record<string, string> = own && JSON.stringify(error.meta ?? {}).includes("domain") ? { ownDomain: DOMAIN_TAKEN } : { address: TAKEN };
      throw new AppError("CONFLICT", "Some fields need attention.", field);
    }
    throw error;
  }
}
