// For tests: the messages queued for someone, with their sealed links opened.
import { unseal } from "@/server/crypto/seal";
import { db } from "@/server/db/client";
import { secretsContext } from "../queue-email";

export async function queuedFor(email: string, kind?: string) {
  const rows = await db.emailOutbox.findMany({
    where: { toEmail: email.toLowerCase(), ...(kind ? { kind } : {}) },
    orderBy: { createdAt: "asc" },
    omit: { secretsSealed: false },
  });
  return rows.map((row) => ({
    ...row,
    link: row.secretsSealed ? (JSON.parse(unseal(row.secretsSealed, secretsContext(row.dedupeKey))) as { url: string }).url : undefined,
  }));
}

/** The token at the end of the newest link of that kind sent to `email`. */
export async function lastToken(email: string, kind: string): Promise<string> {
  const link = (await queuedFor(email, kind)).at(-1)?.link;
  if (!link) throw new Error(`no ${kind} link queued for ${email}`);
  return link.split("/").pop()!;
}
