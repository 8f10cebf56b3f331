// Ownership of a tenant's app volumes before the app first starts. The apps run as uid 991 and a
// fresh named volume belongs to root (Misskey's and Sharkey's images do not even have the files
// folder), so every upload would fail. Docker's archive API sets it, with no process run and no
// capability given to any container: a container of the app's image is created (never started)
// with the volume mounted, the volume's root folder is written into it as a tar entry owned by
// the app's user (the daemon applies owner and mode to the existing folder), and the container is
// removed. Only the volume's root is changed: what the app wrote inside stays as it is.
import "server-only";
import type Docker from "dockerode";
import { dockerStatus } from "./docker-errors";
import { tarball } from "./tar";
import type { TenantTemplate } from "./templates";

const MOUNT = "/hearth-volume";

/** Sets the owner of every volume the template gives one; returns what it did, for the timeline. */
export async function prepareVolumeOwners(
  docker: Docker,
  template: TenantTemplate,
  volumeName: (role: string) => string,
  labels: Record<string, string>,
): Promise<string[]> {
  const done = new Map<string, string>();
  for (const component of template.components) {
    for (const mount of component.mounts) {
      if (!mount.owner || done.has(mount.volume)) continue;
      const name = `${volumeName(mount.volume)}-owner`;
      const options: Docker.ContainerCreateOptions = {
        name,
        Image: component.image,
        Entrypoint: ["/nonexistent"], // never started: only a handle for the archive API
        Labels: labels,
        HostConfig: {
          NetworkMode: "none",
          Mounts: [{ Type: "volume", Source: volumeName(mount.volume), Target: MOUNT }],
          CapDrop: ["ALL"],
        },
      };
      // One left by a run that died here is replaced.
      const container = await docker.createContainer(options).catch(async (error: unknown) => {
        if (dockerStatus(error) !== 409) throw error;
        await docker.getContainer(name).remove({ force: true });
        return docker.createContainer(options);
      });
      try {
        const { uid, gid } = mount.owner;
        await container.putArchive(await tarball([{ type: "dir", name: `${MOUNT.slice(1)}/`, mode: 0o755, uid, gid }]), { path: "/" });
      } finally {
        await container.remove({ force: true });
      }
      done.set(mount.volume, `${mount.volume} owned by ${mount.owner.uid}:${mount.owner.gid}`);
    }
  }
  return [...done.values()];
}
