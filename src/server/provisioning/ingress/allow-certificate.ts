// The rule behind on-demand certificates: yes only for the domain of a community that exists
// (not deleted) and, for an own domain, only once Hearth verified its DNS records. The ingress
// asks a list rendered by the same rule (list-routes.ts); this answers the same question for
// an ingress configured to ask Hearth itself over HTTP.
import "server-only";
import { z } from "zod";
import { db } from "@/server/db/client";

const domainSchema = z.string().trim().toLowerCase().max(253).regex(/^[a-z0-9.-]+$/);

export async function allowCertificate(raw: string | null): Promise<boolean> {
  const parsed = domainSchema.safeParse(raw ?? "");
  if (!parsed.success) return false;
  const found = await db.community.count({
    where: { domain: parsed.data, deletedAt: null, OR: [{ domainOwn: false }, { domainVerifiedAt: { not: null } }] },
  });
  return found > 0;
}
