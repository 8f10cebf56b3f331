// The bench's baseline: the same containers (same template, same create options), networks and
// volumes, brought up with plain dockerode calls in the same order, waiting the same way
// (health polled every 100 ms), with none of Hearth's bookkeeping: no database, no queue, no
// timeline, no idempotency checks.
import type Docker from "dockerode";
import { createOptions, networkName, volumeName, type ContainerContext } from "../container-spec";
import { tenantLabels } from "../naming";
import type { TenantTemplate } from "../templates";
import { prepareVolumeOwners } from "../volume-owners";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(docker: Docker, id: string, oneShot: boolean) {
  for (;;) {
    const { State } = await docker.getContainer(id).inspect();
    if (oneShot && State.Status === "exited") {
      if (State.ExitCode !== 0) throw new Error(`${id} exited ${State.ExitCode}`);
      return;
    }
    if (!oneShot && State.Health?.Status === "healthy") return;
    if (!oneShot && !State.Running) throw new Error(`${id} stopped`);
    await sleep(100);
  }
}

export async function directBringUp(
  docker: Docker,
  template: TenantTemplate,
  ctx: ContainerContext,
  mark: (what: string) => void = () => {},
): Promise<void> {
  const { tenant } = ctx;
  const networks = {
    internal: networkName(tenant, "internal"),
    tenant: networkName(tenant, "tenant"),
  };
  await docker.createNetwork({ Name: networks.internal, Internal: true, Labels: tenantLabels(tenant, "net-internal") });
  await docker.createNetwork({ Name: networks.tenant, Labels: tenantLabels(tenant, "net-tenant") });
  for (const role of template.volumes) {
    await docker.createVolume({ Name: volumeName(tenant, role), Labels: tenantLabels(tenant, `vol-${role}`) });
  }
  await prepareVolumeOwners(docker, template, (role) => volumeName(tenant, role), tenantLabels(tenant, "volume-owner"));
  mark("networks and volumes");
  for (const stage of [0, 1, 2, 3]) {
    mark(`stage ${stage} starts`);
    const specs = template.components.filter((c) => c.stage === stage);
    const ids = await Promise.all(
      specs.map(async (spec) => {
        const container = await docker.createContainer(createOptions(spec, ctx));
        for (const role of spec.networks.slice(1)) {
          await docker.getNetwork(networks[role]).connect({ Container: container.id, EndpointConfig: { Aliases: [spec.component] } });
        }
        await container.start();
        return { id: container.id, oneShot: spec.oneShot === true };
      }),
    );
    mark(`stage ${stage} started`);
    await Promise.all(ids.map(({ id, oneShot }) => waitFor(docker, id, oneShot)));
  }
  mark("done");
}
