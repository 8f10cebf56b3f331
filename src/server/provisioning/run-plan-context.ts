// What every plan needs to know about the instance it works on, loaded once per pass.
import "server-only";
import type Docker from "dockerode";
import type { Software } from "@/generated/prisma/client";
import type { Env } from "@/server/config/env";
import { db } from "@/server/db/client";
import { installationId } from "@/server/docker/labels";
import type { ContainerContext } from "./container-spec";
import type { TenantRef } from "./naming";
import { unsealSecrets, type TenantSecrets } from "./secrets";
import { pdsNetworkSettings, tenantTemplate, type InstanceImages, type InstanceMailSettings, type TenantTemplate } from "./templates";
import { instanceMailFor } from "@/server/mail/instance-mail";
import { instanceImagesSchema } from "./images";

export async function loadInstance(instanceId: string) {
  return db.instance.findUnique({
    where: { id: instanceId },
    omit: { secretsSealed: false },
    include: {
      community: {
        select: { id: true, slug: true, domain: true, software: true, status: true, pdsOpenSignUp: true, owner: { select: { email: true } }, plan: true, moveIn: { select: { restoredAt: true } } },
      },
      adminCredential: { select: { confirmedAt: true } },
    },
  });
}
export type LoadedInstance = NonNullable<Awaited<ReturnType<typeof loadInstance>>>;

/**
 * The community's stored domain. Communities started before domains were stored get theirs
 * written now (the base domain of today), once; it never follows HEARTH_BASE_DOMAIN afterwards.
 */
async function pinnedDomain(community: { id: string; slug: string; domain: string | null }, config: Env): Promise<string> {
  if (community.domain) return community.domain;
  await db.community.updateMany({
    where: { id: community.id, domain: null },
    data: { domain: `${community.slug}.${config.HEARTH_BASE_DOMAIN}` },
  });
  const row = await db.community.findUniqueOrThrow({ where: { id: community.id }, select: { domain: true } });
  if (!row.domain) throw new Error("the community's domain was not stored");
  return row.domain;
}

export type PlanContext = {
  docker: Docker;
  config: Env;
  instance: LoadedInstance;
  software: Software;
  tenant: TenantRef;
  images: InstanceImages;
  containers: ContainerContext;
  domain: string;
  /** The host's mail relay for this instance (sender on its domain), or null. */
  mail: InstanceMailSettings | null;
  /** The template needs the secrets; both are available once the secrets step has run. */
  template: () => TenantTemplate;
  secrets: () => TenantSecrets;
  setSecrets: (sealed: string) => void;
};

export async function planContext(docker: Docker, config: Env, instance: LoadedInstance): Promise<PlanContext> {
  const { community } = instance;
  const tenant: TenantRef = { installationId: await installationId(), tenantId: community.id, slug: community.slug };
  const images = instanceImagesSchema.parse(instance.images);
  const domain = await pinnedDomain(community, config);
  const mail = await instanceMailFor(domain);
  let sealed = instance.secretsSealed;
  let cached: { secrets: TenantSecrets; template: TenantTemplate } | undefined;
  return {
    docker,
    config,
    instance,
    software: community.software,
    tenant,
    images,
    domain,
    mail,
    containers: {
      tenant,
      plan: { memoryMb: community.plan.memoryMb, cpuMillis: community.plan.cpuMillis },
      healthIntervalSeconds: config.HEARTH_HEALTHCHECK_INTERVAL_SECONDS,
      publishIp: config.HEARTH_PUBLISH_IP,
      // Behind the ingress nothing of a tenant is published on the host.
      publish: config.HEARTH_INGRESS === "off",
    },
    setSecrets: (value) => {
      sealed = value;
      cached = undefined;
    },
    template: () => load().template,
    secrets: () => load().secrets,
  };

  function load() {
    if (!sealed) throw new Error("the instance has no secrets yet");
    if (!cached) {
      const secrets = unsealSecrets(instance.id, sealed);
      cached = {
        secrets,
        template: tenantTemplate(community.software, {
          slug: community.slug,
          plan: { memoryMb: community.plan.memoryMb, cpuMillis: community.plan.cpuMillis },
          domain,
          images,
          secrets,
          healthIntervalSeconds: config.HEARTH_HEALTHCHECK_INTERVAL_SECONDS,
          mail,
          pds: community.software === "BLUESKY_PDS" ? pdsNetworkSettings(config) : undefined,
          openSignUp: community.pdsOpenSignUp,
        }),
      };
    }
    return cached;
  }
}
