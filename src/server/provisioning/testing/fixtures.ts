// Helpers for the Docker tests: seed a community, drive reconcile passes to the end in-process
// (retries included), and list what a tenant has on the engine.
import { randomBytes } from "node:crypto";
import type { Software } from "@/generated/prisma/client";
import { toActor } from "@/server/auth/actor";
import { db } from "@/server/db/client";
import { docker } from "@/server/docker/client";
import { labelFilters } from "@/server/docker/labels";
import { listLabelled } from "../docker-objects";
import { reconcileInstance, type PassResult } from "../reconcile-instance";

export async function seedCommunity(software: Software, tag: string) {
  const suffix = randomBytes(3).toString("hex");
  const plan = await db.plan.upsert({
    where: { slug: "test-provisioning" },
    // The Small plan's memory: the stand-ins are killed where upstream's processes would not fit.
    create: { slug: "test-provisioning", name: "Test", memoryMb: 2048, cpuMillis: 500, diskGb: 5, monthlyCost: 100 },
    update: {},
  });
  const owner = await db.user.create({ data: { email: `organiser.${tag}.${suffix}@example.org` } });
  const community = await db.community.create({
    data: {
      slug: `t${tag}-${suffix}`,
      name: `Test ${tag}`,
      software,
      planId: plan.id,
      ownerId: owner.id,
      status: "AWAITING_FUNDING",
      memberships: { create: { userId: owner.id, role: "OWNER" } },
    },
  });
  return { community, owner: toActor(owner), plan };
}

export async function instanceOf(communityId: string) {
  return db.instance.findUniqueOrThrow({ where: { communityId } });
}

/** Runs passes until the instance settles; waits out retries (the tests use short backoffs). */
export async function converge(communityId: string, timeoutMs = 90_000): Promise<PassResult> {
  const { id } = await instanceOf(communityId);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await reconcileInstance(id);
    if (result.outcome === "retry" || result.outcome === "waiting") {
      await new Promise((r) => setTimeout(r, Math.max(50, result.at.getTime() - Date.now() + 20)));
    } else if (result.outcome === "busy") {
      await new Promise((r) => setTimeout(r, 200));
    } else {
      return result;
    }
    if (Date.now() > deadline) throw new Error(`instance ${id} did not settle; last outcome ${result.outcome}`);
  }
}

export async function tenantObjects(communityId: string) {
  return listLabelled(docker(), await labelFilters(communityId));
}

export async function countObjects(communityId: string) {
  const o = await tenantObjects(communityId);
  return { containers: o.containers.length, networks: o.networks.length, volumes: o.volumes.length };
}

/** One SQL statement in the tenant's own PostgreSQL (psql in its db container), rows as text. */
export async function tenantSql(communityId: string, sql: string): Promise<string> {
  const { execIn } = await import("../container-io");
  const { tenantContainersByComponent } = await import("../docker-objects");
  const container = (await tenantContainersByComponent(docker(), communityId)).get("db");
  if (!container) throw new Error("the tenant has no db container");
  const env = (await docker().getContainer(container.name).inspect()).Config.Env;
  const user = env.find((e) => e.startsWith("POSTGRES_USER="))?.split("=")[1] ?? "postgres";
  const result = await execIn(docker(), container.name, ["psql", "-X", "-v", "ON_ERROR_STOP=1", "-U", user, "-d", user, "-tAc", sql]);
  if (result.exitCode !== 0) throw new Error(`psql failed (${result.exitCode}): ${result.stderr}`);
  return result.stdout.trim();
}
