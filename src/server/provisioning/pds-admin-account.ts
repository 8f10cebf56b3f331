// The organiser's account on a new Bluesky PDS, made through its admin API: an invite code (sign-up
// needs one), then com.atproto.server.createAccount with the handle <name>.<domain> and a password
// Hearth chooses. A PDS has no admin role on accounts: the PDS's admin password stays Hearth's,
// which manages invites for the organiser from the dashboard. The password is stored sealed before
// the call, so a retry after a crash can tell whether the account is already ours.
import "server-only";
import { db } from "@/server/db/client";
import { seal, unseal } from "@/server/crypto/seal";
import { StepError } from "./docker-errors";
import { PdsError, pdsXrpc } from "./pds-api";
import type { PlanContext } from "./run-plan-context";
import { generatePassword } from "./secrets";

const FALLBACK = "organiser";
const passwordContext = (instanceId: string) => `instance:${instanceId}:admin-password`;

/**
 * The first label of the organiser's handle, from the email: what a PDS accepts for a handle
 * under its domain (letters, digits and hyphens, 3 to 18 characters), else "organiser".
 */
export function pdsHandleLabel(email: string): string {
  const local = (email.split("@")[0] ?? "").toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+/, "");
  const label = local.slice(0, 18).replace(/-+$/, "");
  return label.length >= 3 ? label : FALLBACK;
}

async function inviteCode(ctx: PlanContext): Promise<string> {
  const { code } = await pdsXrpc<{ code: string }>(ctx, "com.atproto.server.createInviteCode", { body: { useCount: 1 }, auth: "admin" });
  return code;
}

/** Whether the handle is already an account that signs in with our password (made by an earlier attempt). */
async function ours(ctx: PlanContext, handle: string, password: string): Promise<boolean> {
  return pdsXrpc(ctx, "com.atproto.server.createSession", { body: { identifier: handle, password } }).then(
    () => true,
    (error: unknown) => {
      if (error instanceof PdsError && error.status < 500) return false;
      throw error;
    },
  );
}

export async function pdsAdminAccount(ctx: PlanContext, email: string): Promise<string> {
  const instanceId = ctx.instance.id;
  const reserved = await db.instanceAdminCredential.findUnique({ where: { instanceId }, omit: { passwordSealed: false } });
  let label = reserved?.username.split(".")[0] ?? pdsHandleLabel(email);
  let password: string;
  if (reserved?.passwordSealed) {
    password = unseal(reserved.passwordSealed, passwordContext(instanceId));
  } else {
    password = generatePassword();
    await db.instanceAdminCredential.create({
      data: { instanceId, username: `${label}.${ctx.domain}`, email, passwordSealed: seal(password, passwordContext(instanceId)) },
    });
  }
  for (let attempt = 0; ; attempt++) {
    const handle = `${label}.${ctx.domain}`;
    try {
      await pdsXrpc(ctx, "com.atproto.server.createAccount", { body: { email, handle, password, inviteCode: await inviteCode(ctx) } });
      break;
    } catch (error) {
      if (!(error instanceof PdsError)) throw error;
      if (error.code === "HandleNotAvailable" && (await ours(ctx, handle, password))) {
        await db.instanceAdminCredential.update({ where: { instanceId }, data: { confirmedAt: new Date() } });
        return `Created ${handle} (in an earlier attempt)`;
      }
      // A name the PDS keeps for itself (reserved words), or one someone else took: the plain fallback.
      const handleProblem = error.code === "HandleNotAvailable" || error.code === "InvalidHandle";
      if (!handleProblem || label === FALLBACK || attempt > 0) {
        throw new StepError(`${error.message} The organiser's account ${handle} was not created.`);
      }
      label = FALLBACK;
      await db.instanceAdminCredential.update({ where: { instanceId }, data: { username: `${label}.${ctx.domain}` } });
    }
  }
  const handle = `${label}.${ctx.domain}`;
  await db.instanceAdminCredential.update({ where: { instanceId }, data: { username: handle, confirmedAt: new Date() } });
  return `Created ${handle}`;
}
