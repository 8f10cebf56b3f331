// A component of a template, made concrete for one tenant: the exact create options Docker gets.
// Limits come from the plan at this moment (never copied into the tenant); the hash of the
// options is stored as a label so that a changed spec (image, env, limits) means recreate.
import { createHash } from "node:crypto";
import type Docker from "dockerode";
import type { ComponentSpec } from "./templates";
import { objectName, SPEC_LABEL, tenantLabels, type TenantRef } from "./naming";

export type PlanLimits = { memoryMb: number; cpuMillis: number };

export type ContainerContext = {
  tenant: TenantRef;
  plan: PlanLimits;
  healthIntervalSeconds: number;
  publishIp: string;
  /** Publish web and streaming ports on the host (HEARTH_INGRESS=off); false behind the ingress. */
  publish?: boolean;
};

const SECOND = 1_000_000_000;

export function limitsFor(spec: ComponentSpec, plan: PlanLimits) {
  return {
    Memory: Math.max(32, Math.floor(plan.memoryMb * spec.share.memory)) * 1024 * 1024,
    NanoCpus: Math.max(10_000_000, Math.round(plan.cpuMillis * spec.share.cpu * 1_000_000)),
    PidsLimit: spec.pidsLimit,
  };
}

export function containerName(tenant: TenantRef, spec: ComponentSpec): string {
  return objectName(tenant, spec.component);
}

export function networkName(tenant: TenantRef, role: string): string {
  return objectName(tenant, `net-${role}`);
}

export function volumeName(tenant: TenantRef, role: string): string {
  return objectName(tenant, `vol-${role}`);
}

export function createOptions(spec: ComponentSpec, ctx: ContainerContext): Docker.ContainerCreateOptions {
  const { tenant } = ctx;
  const limits = limitsFor(spec, ctx.plan);
  const [firstNetwork] = spec.networks;
  const publish = ctx.publish === false ? [] : (spec.publish ?? []);
  const exposed = Object.fromEntries(publish.map((p) => [`${p.port}/tcp`, {}]));
  const bindings = Object.fromEntries(
    publish.map((p) => [`${p.port}/tcp`, [{ HostIp: ctx.publishIp, HostPort: "" }]]),
  );
  const options: Docker.ContainerCreateOptions = {
    name: containerName(tenant, spec),
    Image: spec.image,
    Cmd: spec.cmd,
    Env: Object.entries(spec.env).map(([key, value]) => `${key}=${value}`),
    Labels: tenantLabels(tenant, spec.component),
    ExposedPorts: publish.length ? exposed : undefined,
    StopTimeout: spec.stopTimeoutSeconds,
    Healthcheck: spec.health && {
      Test: spec.health.test,
      Interval: Math.round(ctx.healthIntervalSeconds * SECOND),
      Timeout: (spec.health.timeoutSeconds ?? 5) * SECOND,
      Retries: spec.health.retries ?? 3,
      StartPeriod: spec.health.startPeriodSeconds * SECOND,
    },
    HostConfig: {
      ...limits,
      // Swap counts against the same limit: the plan's memory is the ceiling.
      MemorySwap: limits.Memory,
      RestartPolicy: spec.oneShot ? { Name: "no" } : { Name: "unless-stopped" },
      Privileged: false,
      SecurityOpt: ["no-new-privileges"],
      // Every capability dropped, the few the image's own start needs added back.
      CapDrop: ["ALL"],
      CapAdd: spec.capAdd.length ? spec.capAdd : undefined,
      ReadonlyRootfs: spec.readOnlyRoot,
      Tmpfs: spec.tmpfs,
      ShmSize: spec.shmSizeMb ? spec.shmSizeMb * 1024 * 1024 : undefined,
      Mounts: spec.mounts.map((m) => ({
        Type: "volume" as const,
        Source: volumeName(tenant, m.volume),
        Target: m.target,
        ReadOnly: m.readOnly ?? false,
      })),
      PortBindings: publish.length ? bindings : undefined,
      NetworkMode: firstNetwork ? networkName(tenant, firstNetwork) : "none",
      LogConfig: { Type: "json-file", Config: { "max-size": "10m", "max-file": "3" } },
    },
    NetworkingConfig: firstNetwork
      ? { EndpointsConfig: { [networkName(tenant, firstNetwork)]: { Aliases: [spec.component] } } }
      : undefined,
  };
  const hash = createHash("sha256")
    .update(JSON.stringify({ options, networks: spec.networks, files: spec.files }))
    .digest("hex")
    .slice(0, 32);
  options.Labels = { ...options.Labels, [SPEC_LABEL]: hash };
  return options;
}
