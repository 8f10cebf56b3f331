// Misskey and Sharkey keep their mail settings in the database, not in a file: after setup,
// Hearth sets them through the admin API (admin/update-meta, as the instance's own control panel
// does) with the admin account's token. Idempotent: every bring-up sends the current settings,
// so a changed relay reaches a Misskey instance the next time it starts. Mastodon reads them
// from its environment (templates/mastodon.ts).
import "server-only";
import { unseal } from "@/server/crypto/seal";
import { db } from "@/server/db/client";
import { apiTokenContext } from "./admin-account";
import { StepError } from "./docker-errors";
import type { PlanContext } from "./run-plan-context";
import { postThroughIngress } from "./ingress/post-through-ingress";
import { reachableUrl } from "./published-address";

export async function configureMisskeyMail(ctx: PlanContext): Promise<string> {
  const mail = ctx.mail;
  if (!mail) return "No mail relay for instances on this host";
  const credential = await db.instanceAdminCredential.findUnique({ where: { instanceId: ctx.instance.id }, omit: { apiTokenSealed: false } });
  if (!credential?.apiTokenSealed) {
    throw new StepError("The admin account's API token was not kept, so Hearth cannot set the mail relay. Set it in the instance's control panel (Control panel > Email server).");
  }
  const { webAddress } = await db.instance.findUniqueOrThrow({ where: { id: ctx.instance.id }, select: { webAddress: true } });
  if (!webAddress) throw new StepError("The instance has no published web address yet.");
  const payload = JSON.stringify({
    i: unseal(credential.apiTokenSealed, apiTokenContext(ctx.instance.id)),
    enableEmail: true,
    email: mail.from,
    smtpSecure: mail.tls === "tls",
    smtpHost: mail.host,
    smtpPort: mail.port,
    smtpUser: mail.user ?? "",
    smtpPass: mail.password ?? "",
  });
  // Behind the ingress the instance is reached at its https address, as the admin account was made.
  const response =
    ctx.config.HEARTH_INGRESS === "on"
      ? await postThroughIngress(ctx, "/api/admin/update-meta", payload)
      : await fetch(`${reachableUrl(webAddress, ctx.config)}/api/admin/update-meta`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: payload,
          signal: AbortSignal.timeout(60_000),
        })
          .then(async (r) => ({ ok: r.ok, status: r.status, text: await r.text() }))
          .catch((error: unknown) => {
            throw new StepError(`The instance's web port at ${webAddress} did not answer (${(error as Error).message}).`);
          });
  if (!response.ok) {
    const body = (() => {
      try {
        return JSON.parse(response.text) as { error?: { code?: string } };
      } catch {
        return {} as { error?: { code?: string } };
      }
    })();
    throw new StepError(`The instance refused the mail settings (HTTP ${response.status}${body.error?.code ? `, ${body.error.code}` : ""}).`);
  }
  return `Mail through ${mail.host}:${mail.port} as ${mail.from}`;
}
