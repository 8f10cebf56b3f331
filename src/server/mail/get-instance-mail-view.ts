// What the organiser sees of their instance's mail: the relay, the sender, how the instance got
// them, never the relay's password.
import "server-only";
import type { Software } from "@/generated/prisma/enums";
import { env } from "@/server/config/env";
import { db } from "@/server/db/client";
import { instanceMailFor } from "./instance-mail";

const TLS_WORDS = { auto: "STARTTLS when offered", starttls: "STARTTLS", tls: "TLS", none: "not encrypted" } as const;

export type InstanceMailView =
  | { configured: false }
  | { configured: true; relay: string; encryption: string; sender: string; login: string | null; how: string; appliedAt: Date | null };

/** Callers check instance.read for the community first (the dashboard does). */
export async function getInstanceMailView(community: { id: string; slug: string; software: Software }): Promise<InstanceMailView> {
  const domain = `${community.slug}.${env().HEARTH_BASE_DOMAIN}`;
  const mail = await instanceMailFor(domain);
  if (!mail) return { configured: false };
  const step =
    community.software === "MASTODON"
      ? null
      : await db.instanceStep.findFirst({
          where: { key: "mail", state: "SUCCEEDED", run: { instance: { communityId: community.id } } },
          orderBy: { finishedAt: "desc" },
          select: { finishedAt: true },
        });
  return {
    configured: true,
    relay: `${mail.host}:${mail.port}`,
    encryption: TLS_WORDS[mail.tls],
    sender: mail.from,
    login: mail.user,
    how:
      community.software === "MASTODON"
        ? "In the server's SMTP_* settings, given at each start"
        : "Through the server's admin API (Control panel > Email server), set at each start",
    appliedAt: step?.finishedAt ?? null,
  };
}
