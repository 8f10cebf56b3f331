// Whether the images new instances would be pinned to can be had on the Docker engine: present
// (image inspect), or at least pullable (the registry answers the engine's distribution
// inspect). Checked when the worker starts and when a host admin opens /admin, and kept in a
// Setting row so the start form (another process) can refuse software nobody could get running
// before anyone pays for it.
import "server-only";
import { z } from "zod";
import type { Software } from "@/generated/prisma/enums";
import { db } from "@/server/db/client";
import { docker } from "@/server/docker/client";
import { log } from "@/server/log";
import { imagesForNewInstance } from "@/server/settings";
import { getHostSettings } from "@/server/settings";
import { SOFTWARE } from "@/server/config/env";
import { dockerMessage } from "./docker-errors";
import { imagePresent } from "./image-pull";

const KEY = "images.availability";
const PULL_CHECK_TIMEOUT_MS = 8_000;

const imageState = z.object({
  image: z.string(),
  software: z.array(z.enum(SOFTWARE)),
  present: z.boolean(),
  pullable: z.boolean(),
  // Why neither, in the engine's words, for the host admin.
  problem: z.string().nullable(),
});
const availabilitySchema = z.object({ checkedAt: z.coerce.date(), engine: z.string().nullable(), images: z.array(imageState) });
export type ImageAvailability = z.infer<typeof availabilitySchema>;

async function pullable(image: string): Promise<{ ok: boolean; problem: string | null }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      docker().getImage(image).distribution(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("the registry did not answer in time")), PULL_CHECK_TIMEOUT_MS))),
    ]);
    return { ok: true, problem: null };
  } catch (error) {
    return { ok: false, problem: dockerMessage(error).slice(0, 300) };
  } finally {
    clearTimeout(timer);
  }
}

/** Checks every image a new instance of any offered software would get, and stores the result. */
export async function checkImageAvailability(only?: readonly Software[]): Promise<ImageAvailability> {
  const software = only ?? (await getHostSettings()).enabledSoftware;
  const wanted = new Map<string, Software[]>();
  for (const s of software) {
    for (const image of Object.values(await imagesForNewInstance(s))) {
      if (image) wanted.set(image, [...(wanted.get(image) ?? []), s]);
    }
  }
  let engine: string | null = null;
  const images: ImageAvailability["images"] = [];
  try {
    engine = ((await docker().info()) as { Name?: string }).Name ?? null;
    for (const [image, users] of wanted) {
      if (await imagePresent(docker(), image)) {
        images.push({ image, software: users, present: true, pullable: true, problem: null });
        continue;
      }
      const pull = await pullable(image);
      images.push({ image, software: users, present: false, pullable: pull.ok, problem: pull.ok ? null : pull.problem });
    }
  } catch (error) {
    // No engine: nothing can be said about images (and nothing can be provisioned either);
    // the health check reports the engine itself.
    log.warn("image availability: the Docker engine did not answer", { error: dockerMessage(error) });
    return { checkedAt: new Date(), engine: null, images: [] };
  }
  const result: ImageAvailability = { checkedAt: new Date(), engine, images };
  await db.setting.upsert({ where: { key: KEY }, create: { key: KEY, value: result }, update: { value: result } });
  return result;
}

async function stored(): Promise<ImageAvailability | null> {
  const row = await db.setting.findUnique({ where: { key: KEY } });
  const parsed = row ? availabilitySchema.safeParse(row.value) : null;
  return parsed?.success ? parsed.data : null;
}

/** The last check as stored (by the worker at start, /admin, the start page), never a new one. */
export const lastImageAvailability = stored;

/** The last stored check, or a new one when it is older than `maxAgeMs` (or there is none). */
export async function imageAvailability(maxAgeMs: number): Promise<ImageAvailability | null> {
  const last = await stored();
  if (last && Date.now() - last.checkedAt.getTime() <= maxAgeMs) return last;
  const fresh = await checkImageAvailability();
  return fresh.engine ? fresh : last;
}

/** Software whose images the last check found neither present nor pullable (empty when unknown). */
export function unavailableSoftware(availability: ImageAvailability | null): Set<Software> {
  const missing = new Set<Software>();
  for (const state of availability?.images ?? []) if (!state.present && !state.pullable) for (const s of state.software) missing.add(s);
  return missing;
}

/** Host settings changed (the offered versions decide the images): the next reader checks afresh. */
export async function forgetImageAvailability(): Promise<void> {
  await db.setting.deleteMany({ where: { key: KEY } });
}
