// Several workers may run; one collector sweeps at a time. The holder renews a lease row
// each sweep; when it stops renewing (crash, shutdown), another worker takes over once the
// lease has expired, and picks up the persisted previous counters.
import "server-only";
import { db } from "@/server/db/client";

const KEY = "metrics.collector.lease";

/** Takes or renews the lease for `ttlMs`; false while another collector holds it. */
export async function holdLease(owner: string, ttlMs: number): Promise<boolean> {
  const until = new Date(Date.now() + ttlMs).toISOString();
  const rows = await db.$queryRaw<{ key: string }[]>`
    INSERT INTO "Setting" ("key", "value", "updatedAt")
    VALUES (${KEY}, jsonb_build_object('owner', ${owner}::text, 'until', ${until}::text), now())
    ON CONFLICT ("key") DO UPDATE SET "value" = EXCLUDED."value", "updatedAt" = now()
    WHERE "Setting"."value"->>'owner' = ${owner}::text
       OR ("Setting"."value"->>'until')::timestamptz < now()
    RETURNING "key"`;
  return rows.length > 0;
}

export async function releaseLease(owner: string): Promise<void> {
  await db.$executeRaw`DELETE FROM "Setting" WHERE "key" = ${KEY} AND "value"->>'owner' = ${owner}::text`;
}
