// The plan that brings an instance up (first provisioning, a start after a stop, or a repair):
// secrets, images, networks and volumes, then the containers stage by stage, each waited on
// until healthy (or, for one-shots, exited 0); then the route through the ingress, its certificate
// and a request over HTTPS (or, with HEARTH_INGRESS=off, the published addresses); then the
// organiser's admin account.
import "server-only";
import type { InstanceRunKind } from "@/generated/prisma/client";
import { db } from "@/server/db/client";
import { createAdminAccount } from "./admin-account";
import { configureMisskeyMail } from "./instance-mail-step";
import { createOptions, containerName, networkName, volumeName } from "./container-spec";
import { waitExitedOk, waitHealthy } from "./container-io";
import { ensureContainer, ensureNetwork, ensureVolume, startContainer } from "./docker-objects";
import { prepareVolumeOwners } from "./volume-owners";
import { ensureImage } from "./image-pull";
import { tenantLabels } from "./naming";
import type { PlanContext } from "./run-plan-context";
import { ingressSteps } from "./run-plan-ingress";
import type { PlannedStage, Stage, Step } from "./run-steps";
import { firstSecrets, moveInStep } from "./move-in-hook";
import { sealSecrets } from "./secrets";
import type { ComponentSpec } from "./templates";

const COMPONENT_LABELS: Record<string, string> = {
  db: "PostgreSQL",
  redis: "Redis",
  migrate: "Database migrations",
  "post-migrate": "Post-deployment migrations",
  web: "Web",
  streaming: "Streaming API",
  sidekiq: "Background jobs (Sidekiq)",
  pds: "Bluesky PDS",
};

function secretsStep(ctx: PlanContext): Step {
  return {
    key: "secrets",
    label: "Generate the instance's secrets",
    run: async () => {
      if (ctx.instance.secretsSealed) return "Already stored";
      // A community that moves in keeps its instance's secrets (from the archive).
      const { secrets, said } = await firstSecrets(ctx);
      const sealed = sealSecrets(ctx.instance.id, secrets);
      // Only the first writer wins, so a resumed step never replaces secrets already in use.
      await db.instance.updateMany({ where: { id: ctx.instance.id, secretsSealed: null }, data: { secretsSealed: sealed } });
      const row = await db.instance.findUniqueOrThrow({
        where: { id: ctx.instance.id },
        select: { secretsSealed: true },
      });
      if (!row.secretsSealed) throw new Error("secrets were not saved");
      ctx.setSecrets(row.secretsSealed);
      return said;
    },
  };
}

function imageSteps(ctx: PlanContext): Stage {
  const refs = [...new Set(Object.values(ctx.images).filter((ref): ref is string => Boolean(ref)))];
  return refs.map((ref) => ({
    key: `image:${ref}`,
    label: `Image ${ref}`,
    run: async (progress) =>
      (await ensureImage(ctx.docker, ref, progress)) === "present" ? "Already on the host" : "Downloaded",
  }));
}

function networkNames(ctx: PlanContext): { internal: string; tenant: string } {
  return { internal: networkName(ctx.tenant, "internal"), tenant: networkName(ctx.tenant, "tenant") };
}

function storageSteps(ctx: PlanContext): Stage {
  return [
    {
      key: "networks",
      label: "Networks (internal for the database and Redis, tenant for the app)",
      run: async () => {
        const names = networkNames(ctx);
        await Promise.all([
          ensureNetwork(ctx.docker, names.internal, { internal: true, labels: tenantLabels(ctx.tenant, "net-internal") }),
          ensureNetwork(ctx.docker, names.tenant, { internal: false, labels: tenantLabels(ctx.tenant, "net-tenant") }),
        ]);
      },
    },
    {
      key: "volumes",
      label: "Volumes",
      run: async () => {
        const volumes = ctx.template().volumes;
        await Promise.all(
          volumes.map((role) => ensureVolume(ctx.docker, volumeName(ctx.tenant, role), tenantLabels(ctx.tenant, `vol-${role}`))),
        );
        // Every time (cheap, and a run resumed after a crash between create and chown still does it).
        const owned = await prepareVolumeOwners(ctx.docker, ctx.template(), (role) => volumeName(ctx.tenant, role), tenantLabels(ctx.tenant, "volume-owner"));
        return [volumes.join(", "), ...owned].join("; ");
      },
    },
  ];
}

function componentStep(ctx: PlanContext, spec: ComponentSpec): Step {
  const name = containerName(ctx.tenant, spec);
  const timeout = ctx.config.HEARTH_HEALTH_TIMEOUT_SECONDS;
  const label = COMPONENT_LABELS[spec.component] ?? spec.component;
  return {
    key: `${spec.oneShot ? "run" : "start"}:${spec.component}`,
    label: spec.oneShot ? `Run ${label.toLowerCase()}` : `Start ${label}`,
    run: async (progress) => {
      const { info } = await ensureContainer(ctx.docker, createOptions(spec, ctx.containers), spec, networkNames(ctx));
      if (spec.oneShot) {
        if (info?.State.Status === "exited" && info.State.ExitCode === 0) return "Already done";
        await startContainer(ctx.docker, name, info);
        progress("Running");
        await waitExitedOk(ctx.docker, name, timeout);
        return "Finished";
      }
      await startContainer(ctx.docker, name, info);
      if (spec.health) progress("Waiting until healthy");
      await waitHealthy(ctx.docker, name, timeout);
      return spec.health ? "Healthy" : "Running";
    },
  };
}

function componentStages(ctx: PlanContext): PlannedStage[] {
  // Stage numbers are the same for every software (0 data, 1 migrations, 2 app processes, 3
  // post-deployment migrations); a software without a stage has an empty one.
  return [0, 1, 2, 3].map((stage) => () => ctx.template().components.filter((c) => c.stage === stage).map((c) => componentStep(ctx, c)));
}

function addressesStep(ctx: PlanContext): Step {
  return {
    key: "addresses",
    label: "Record the published addresses",
    run: async () => {
      const addresses: { web?: string; streaming?: string } = {};
      for (const spec of ctx.template().components) {
        if (!spec.publish?.length) continue;
        const info = await ctx.docker.getContainer(containerName(ctx.tenant, spec)).inspect();
        for (const p of spec.publish) {
          const binding = info.NetworkSettings.Ports[`${p.port}/tcp`]?.[0];
          if (!binding) throw new Error(`port ${p.port} of ${spec.component} is not published`);
          addresses[p.as] = `${binding.HostIp || ctx.config.HEARTH_PUBLISH_IP}:${binding.HostPort}`;
        }
      }
      // Misskey serves its streaming API on the web port.
      const streaming = addresses.streaming ?? addresses.web ?? null;
      await db.instance.update({
        where: { id: ctx.instance.id },
        data: { webAddress: addresses.web ?? null, streamingAddress: streaming },
      });
      await db.community.update({ where: { id: ctx.instance.communityId }, data: { status: "LIVE" } });
      return `web ${addresses.web ?? "-"}, streaming ${streaming ?? "-"}`;
    },
  };
}

function adminStep(ctx: PlanContext): Step {
  return {
    key: "admin-account",
    label: "Create the organiser's admin account",
    run: () => createAdminAccount(ctx),
  };
}

function mailStep(ctx: PlanContext): Step {
  return { key: "mail", label: "Give the instance its mail settings", run: () => configureMisskeyMail(ctx) };
}

/**
 * The same list of steps every time a run is resumed (so its timeline rows keep their places):
 * a first provisioning always has the secrets and admin steps, which skip what is already done.
 */
export function runningPlan(ctx: PlanContext, kind: InstanceRunKind): PlannedStage[] {
  const provision = kind === "PROVISION";
  // Images first: a missing one fails the run before anything exists on the host.
  const first = imageSteps(ctx);
  if (provision || !ctx.instance.secretsSealed) first.unshift(secretsStep(ctx));
  const last = ctx.config.HEARTH_INGRESS === "on" ? ingressSteps(ctx) : [[addressesStep(ctx)]];
  const components = componentStages(ctx);
  // Moving in: the archive's data goes in once the database and Redis run, before migrations
  // (which then bring an older archive up to this version) and the app processes.
  const moveIn = ctx.instance.community.moveIn;
  if (moveIn && (provision || !moveIn.restoredAt)) components.splice(1, 0, [moveInStep(ctx)]);
  const stages: PlannedStage[] = [first, storageSteps(ctx), ...components, ...last];
  // A moved-in instance brings its accounts, the organiser's admin among them.
  if (!moveIn && (provision || !ctx.instance.adminCredential?.confirmedAt)) stages.push([adminStep(ctx)]);
  // Misskey family: mail settings live in its database, set through the admin API once an admin exists.
  if ((ctx.software === "MISSKEY" || ctx.software === "SHARKEY") && ctx.mail) stages.push([mailStep(ctx)]);
  return stages;
}
