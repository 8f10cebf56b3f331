// What the last ingress pass saw, kept as a Setting row: the host ports the instances answer on
// (Docker may have chosen them) and the last error, for pages and /api/health.
import "server-only";
import { z } from "zod";
import { db } from "@/server/db/client";

const KEY = "ingress.state";

const stateSchema = z.object({
  httpsPort: z.number().nullable().default(null),
  httpPort: z.number().nullable().default(null),
  appliedAt: z.string().nullable().default(null),
  error: z.string().nullable().default(null),
});
export type IngressState = z.infer<typeof stateSchema>;

export async function readIngressState(): Promise<IngressState> {
  const row = await db.setting.findUnique({ where: { key: KEY } });
  const parsed = stateSchema.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : stateSchema.parse({});
}

export async function saveIngressState(change: Partial<IngressState>): Promise<void> {
  const next = { ...(await readIngressState()), ...change };
  await db.setting.upsert({ where: { key: KEY }, create: { key: KEY, value: next }, update: { value: next } });
}
