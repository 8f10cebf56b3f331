// Idempotent "make sure it exists" operations on a tenant's networks, volumes and containers.
// Each looks first (404 checked explicitly), creates only what is missing, and refuses to touch
// an object with the same name that belongs to someone else.
import "server-only";
import { posix } from "node:path";
import type Docker from "dockerode";
import { LABEL, labelFilters } from "@/server/docker/labels";
import { isNotFound, dockerStatus, StepError } from "./docker-errors";
import { SPEC_LABEL } from "./naming";
import { observedContainers, type ObservedContainer } from "./observe";
import { tarball } from "./tar";
import type { ComponentSpec } from "./templates";

function assertOurs(kind: string, name: string, labels: Record<string, string> | undefined, installationId: string) {
  if (labels?.[LABEL.installation] !== installationId) {
    throw new StepError(
      `A ${kind} named ${name} already exists on the Docker host and was not made by this Hearth installation. ` +
        "Rename or remove it by hand; Hearth never deletes objects it did not create.",
    );
  }
}

export async function ensureNetwork(
  docker: Docker,
  name: string,
  options: { internal: boolean; labels: Record<string, string> },
): Promise<string> {
  // Docker allows two networks with one name, so look by name (a prefix filter) and compare exactly.
  const found = (await docker.listNetworks({ filters: { name: [name] } })).filter((n) => n.Name === name);
  const [existing] = found;
  if (existing) {
    assertOurs("network", name, existing.Labels, options.labels[LABEL.installation] ?? "");
    return existing.Id;
  }
  const network = await docker.createNetwork({
    Name: name,
    Driver: "bridge",
    Internal: options.internal,
    CheckDuplicate: true,
    Labels: options.labels,
  });
  return network.id;
}

export async function ensureVolume(docker: Docker, name: string, labels: Record<string, string>): Promise<void> {
  try {
    const volume = await docker.getVolume(name).inspect();
    assertOurs("volume", name, volume.Labels ?? undefined, labels[LABEL.installation] ?? "");
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await docker.createVolume({ Name: name, Labels: labels });
  }
}

async function inspectOrNull(container: Docker.Container): Promise<Docker.ContainerInspectInfo | null> {
  try {
    return await container.inspect();
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

const NEVER_STARTED = "0001-01-01T00:00:00Z";

/**
 * The container exists with exactly this spec, on all its networks, with its files in place.
 * Create is tried first (one call on a fresh tenant); 409 means it exists, and then it is
 * checked: another installation's is refused, ours with an outdated spec is replaced (the data
 * lives in volumes). `info` is null when the container was created just now (never started).
 */
export async function ensureContainer(
  docker: Docker,
  options: Docker.ContainerCreateOptions,
  spec: ComponentSpec,
  networkNames: Record<string, string>,
): Promise<{ id: string; info: Docker.ContainerInspectInfo | null }> {
  const name = options.name ?? "";
  const installationId = options.Labels?.[LABEL.installation] ?? "";
  const container = docker.getContainer(name);
  let info: Docker.ContainerInspectInfo | null = null;
  try {
    await docker.createContainer(options);
  } catch (error) {
    if (dockerStatus(error) !== 409) throw error;
    info = await container.inspect();
    assertOurs("container", name, info.Config.Labels, installationId);
    if (info.Config.Labels?.[SPEC_LABEL] !== options.Labels?.[SPEC_LABEL]) {
      await container.remove({ force: true });
      await docker.createContainer(options);
      info = null;
    }
  }
  // Attach the remaining networks (the API takes one at create); skip those already attached.
  let changed = false;
  for (const role of spec.networks.slice(1)) {
    const network = networkNames[role];
    if (!network || info?.NetworkSettings.Networks[network]) continue;
    await docker.getNetwork(network).connect({ Container: name, EndpointConfig: { Aliases: [spec.component] } });
    changed = true;
  }
  if (spec.files?.length && (!info || info.State.StartedAt === NEVER_STARTED)) {
    await uploadFiles(container, spec.files);
  }
  if (info && changed) info = await container.inspect();
  return { id: info?.Id ?? name, info };
}

/** Writes generated files into a container that has not started yet (putArchive). */
async function uploadFiles(container: Docker.Container, files: NonNullable<ComponentSpec["files"]>) {
  for (const file of files) {
    // Extract at the file's top-level folder (which the image has, e.g. /misskey), creating the
    // folders below it with the file's owner so the app can read them.
    const [top, ...rest] = file.path.split("/").filter(Boolean);
    if (!top || rest.length === 0) throw new Error(`file path must be below a top-level folder: ${file.path}`);
    const dirs = rest.slice(0, -1).map((_, i) => rest.slice(0, i + 1).join("/"));
    const owner = { uid: file.uid, gid: file.gid };
    const archive = await tarball([
      ...dirs.map((dir) => ({ type: "dir" as const, name: `${dir}/`, mode: 0o750, ...owner })),
      { type: "file" as const, name: rest.join("/"), mode: file.mode, content: Buffer.from(file.content, "utf8"), ...owner },
    ]);
    await container.putArchive(archive, { path: posix.join("/", top) });
  }
}

/** Starts the container unless it runs; `known` is what the caller just saw (null: just created). */
export async function startContainer(docker: Docker, name: string, known?: Docker.ContainerInspectInfo | null): Promise<void> {
  const container = docker.getContainer(name);
  const info = known === undefined ? await container.inspect() : known;
  if (info?.State.Running) return;
  try {
    await container.start();
  } catch (error) {
    if (dockerStatus(error) !== 304) throw error; // 304: already started
  }
}

/** Without a timeout, Docker waits the container's own StopTimeout before it kills. */
export async function stopContainer(
  docker: Docker,
  name: string,
  timeoutSeconds?: number,
): Promise<"stopped" | "absent"> {
  const container = docker.getContainer(name);
  const info = await inspectOrNull(container);
  if (!info) return "absent";
  if (!info.State.Running && !info.State.Restarting) return "stopped";
  try {
    await container.stop(timeoutSeconds === undefined ? {} : { t: timeoutSeconds });
  } catch (error) {
    if (dockerStatus(error) !== 304 && !isNotFound(error)) throw error;
  }
  return "stopped";
}

export type TenantObjects = {
  containers: Docker.ContainerInfo[];
  networks: Docker.NetworkInspectInfo[];
  volumes: Docker.VolumeInspectInfo[];
};

/** Everything on the engine carrying these labels (this installation, optionally one tenant). */
export async function listLabelled(docker: Docker, filters: { label: string[] }): Promise<TenantObjects> {
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return { containers, networks, volumes: volumes.Volumes ?? [] };
}

/** One tenant's containers by component, found by label (this installation, this tenant). */
export async function tenantContainersByComponent(docker: Docker, tenantId: string): Promise<Map<string, ObservedContainer>> {
  const containers = await docker.listContainers({ all: true, filters: await labelFilters(tenantId) });
  return new Map((observedContainers(containers).get(tenantId) ?? []).map((c) => [c.component, c]));
}

/** Removes labelled containers, then networks, then volumes; absent ones are fine. */
export async function removeLabelled(docker: Docker, objects: TenantObjects): Promise<number> {
  const ignoreMissing = (error: unknown) => {
    if (!isNotFound(error)) throw error;
  };
  await Promise.all(
    objects.containers.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(ignoreMissing)),
  );
  // The ingress sits on every tenant network: let go of it first, or Docker refuses the removal.
  await Promise.all(
    objects.networks.map(async (n) => {
      const network = docker.getNetwork(n.Id);
      const info = (await network.inspect().catch(ignoreMissing)) as Docker.NetworkInspectInfo | undefined;
      for (const id of Object.keys(info?.Containers ?? {})) {
        await network.disconnect({ Container: id, Force: true }).catch(ignoreMissing);
      }
      await network.remove().catch(ignoreMissing);
    }),
  );
  await Promise.all(objects.volumes.map((v) => docker.getVolume(v.Name).remove().catch(ignoreMissing)));
  return objects.containers.length + objects.networks.length + objects.volumes.length;
}
