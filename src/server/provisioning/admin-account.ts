// The organiser's admin account on a new instance. Mastodon: `tootctl accounts create` in the
// web container (it prints the password). Misskey family: the first-account API, guarded by the
// setupPassword only Hearth knows. The password is stored sealed until the organiser sees it once.
import "server-only";
import { db } from "@/server/db/client";
import { seal, unseal } from "@/server/crypto/seal";
import { execIn } from "./container-io";
import { StepError } from "./docker-errors";
import { objectName } from "./naming";
import type { PlanContext } from "./run-plan-context";
import { reachableUrl } from "./published-address";
import { generatePassword } from "./secrets";
import { postThroughIngress } from "./ingress/post-through-ingress";
import { pdsAdminAccount } from "./pds-admin-account";

const RESERVED = new Set(["admin", "administrator", "root", "support", "help", "webmaster", "mod", "moderator", "owner"]);

/** A username both Mastodon ([a-z0-9_], 30) and Misskey (\w, 20) accept, from the email. */
export function adminUsername(email: string): string {
  const local = (email.split("@")[0] ?? "").toLowerCase().replace(/[^a-z0-9_]/g, "_").replace(/^_+|_+$/g, "");
  const name = local.slice(0, 20);
  return name && !RESERVED.has(name) ? name : "organiser";
}

export const passwordContext = (instanceId: string) => `instance:${instanceId}:admin-password`;
export const apiTokenContext = (instanceId: string) => `instance:${instanceId}:admin-api-token`;

const parsePassword = (output: string) => /New password:\s*(\S+)/.exec(output)?.[1];

async function mastodonAdmin(ctx: PlanContext, username: string, email: string): Promise<string> {
  const web = objectName(ctx.tenant, "web");
  const tootctl = (...args: string[]) => execIn(ctx.docker, web, ["tootctl", "accounts", ...args]);
  let result = await tootctl("create", username, "--email", email, "--confirmed", "--role", "Owner");
  let password = result.exitCode === 0 ? parsePassword(result.stdout) : undefined;
  if (!password && /taken/i.test(result.stdout + result.stderr)) {
    // An earlier attempt created it but died before storing the password: issue a new one.
    result = await tootctl("modify", username, "--reset-password");
    password = result.exitCode === 0 ? parsePassword(result.stdout) : undefined;
  }
  if (!password) {
    const output = (result.stderr || result.stdout).trim().split("\n").slice(-5).join("\n");
    throw new StepError(`tootctl could not create the admin account ${username} (exit code ${result.exitCode}): ${output}`);
  }
  const approve = await tootctl("modify", username, "--approve");
  if (approve.exitCode !== 0) throw new StepError(`tootctl could not approve ${username}: ${approve.stderr.trim()}`);
  await db.instanceAdminCredential.upsert({
    where: { instanceId: ctx.instance.id },
    create: {
      instanceId: ctx.instance.id,
      username,
      email,
      passwordSealed: seal(password, passwordContext(ctx.instance.id)),
      confirmedAt: new Date(),
    },
    update: { passwordSealed: seal(password, passwordContext(ctx.instance.id)), confirmedAt: new Date(), shownAt: null },
  });
  return `Created ${username}`;
}

const ALREADY_SET_UP = new Set(["ACCESS_DENIED", "CREDENTIAL_REQUIRED"]);

async function misskeyAdmin(ctx: PlanContext, username: string, email: string): Promise<string> {
  const instanceId = ctx.instance.id;
  // The password is chosen and stored before the call, so a retry after a crash knows it.
  const reserved = await db.instanceAdminCredential.findUnique({ where: { instanceId }, omit: { passwordSealed: false } });
  let password: string;
  if (reserved?.passwordSealed) {
    password = unseal(reserved.passwordSealed, passwordContext(instanceId));
  } else {
    password = generatePassword();
    await db.instanceAdminCredential.create({
      data: { instanceId, username, email, passwordSealed: seal(password, passwordContext(instanceId)) },
    });
  }
  const { webAddress } = await db.instance.findUniqueOrThrow({ where: { id: instanceId }, select: { webAddress: true } });
  if (!webAddress) throw new StepError("The instance has no web address yet.");
  const setupPassword = ctx.secrets().misskey?.setupPassword;
  const payload = JSON.stringify({ username, password, setupPassword });
  // Behind the ingress the instance is reached at its https address, as everyone reaches it.
  const response =
    ctx.config.HEARTH_INGRESS === "on"
      ? await postThroughIngress(ctx, "/api/admin/accounts/create", payload)
      : await fetch(`${reachableUrl(webAddress, ctx.config)}/api/admin/accounts/create`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: payload,
          signal: AbortSignal.timeout(60_000),
        })
          .then(async (r) => ({ ok: r.ok, status: r.status, text: await r.text() }))
          .catch((error: unknown) => {
            throw new StepError(`The instance's web port at ${webAddress} did not answer (${(error as Error).message}).`);
          });
  const body = (() => {
    try {
      return JSON.parse(response.text) as { token?: string; error?: { code?: string; message?: string } };
    } catch {
      return {} as { token?: string; error?: { code?: string; message?: string } };
    }
  })();
  // Once an admin exists an anonymous call is refused: Misskey answers ACCESS_DENIED, Sharkey asks
  // for credentials first (CREDENTIAL_REQUIRED, 401). With the password reserved before an earlier
  // call, that admin is ours (nobody else knows the setupPassword).
  const createdEarlier = reserved !== null && ALREADY_SET_UP.has(body.error?.code ?? "");
  if (!response.ok && !createdEarlier) {
    throw new StepError(
      `The instance refused to create the admin account (HTTP ${response.status}${body.error?.code ? `, ${body.error.code}` : ""}).`,
    );
  }
  // The account's API token: Hearth uses it once more to give the instance its mail settings.
  const apiTokenSealed = typeof body.token === "string" ? seal(body.token, apiTokenContext(instanceId)) : undefined;
  await db.instanceAdminCredential.update({ where: { instanceId }, data: { confirmedAt: new Date(), ...(apiTokenSealed ? { apiTokenSealed } : {}) } });
  return createdEarlier ? `Created ${username} (in an earlier attempt)` : `Created ${username}`;
}

export async function createAdminAccount(ctx: PlanContext): Promise<string> {
  const existing = await db.instanceAdminCredential.findUnique({ where: { instanceId: ctx.instance.id } });
  if (existing?.confirmedAt) return `Already created (${existing.username})`;
  const email = ctx.instance.community.owner.email;
  const username = existing?.username ?? adminUsername(email);
  switch (ctx.software) {
    case "MASTODON":
      return mastodonAdmin(ctx, username, email);
    case "BLUESKY_PDS":
      return pdsAdminAccount(ctx, email);
    default:
      return misskeyAdmin(ctx, username, email);
  }
}
