// Test fixtures on the real engine: a 1 MB busybox image built FROM scratch, containers
// carrying Hearth's labels plus a per-run label, and a community on a plan of our choosing.
// Everything created here is removed by `cleanup()`; nothing else on the engine is touched.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import type Docker from "dockerode";
import { db } from "@/server/db/client";
import { docker } from "@/server/docker/client";
import { LABEL, installationId } from "@/server/docker/labels";

export const RUN_LABEL = "hearth.test-run";

export function createFixtures(prefix = "hearth-metrics-test") {
  const run = `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
  const image = `${prefix}:${run.slice(prefix.length + 1)}`;
  const networks: string[] = [];
  const volumes: string[] = [];
  let built: Promise<void> | undefined;

  async function buildImage(): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), "hearth-busybox-"));
    try {
      copyFileSync("/bin/busybox", join(dir, "busybox"));
      writeFileSync(
        join(dir, "Dockerfile"),
        'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n',
      );
      const stream = await docker().buildImage({ context: dir, src: ["Dockerfile", "busybox"] }, { t: image, labels: { [RUN_LABEL]: run } });
      await new Promise<void>((resolve, reject) =>
        docker().modem.followProgress(stream, (error: Error | null, output: { error?: string }[]) => {
          const failure = error?.message ?? output.find((o) => o.error)?.error;
          if (failure) reject(new Error(failure));
          else resolve();
        }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  return {
    run,
    image,
    /** Builds the image; also settles the installation id once (concurrent first calls race). */
    ensureImage: async () => {
      await installationId();
      await (built ??= buildImage());
    },

    async plan(limits: { cpuMillis: number; memoryMb: number; diskGb?: number; monthlyCost?: number }) {
      const slug = `${run}-${limits.cpuMillis}-${limits.memoryMb}-${randomBytes(2).toString("hex")}`;
      return db.plan.create({
        data: { slug, name: `Test ${limits.cpuMillis}m`, diskGb: 10, monthlyCost: limits.cpuMillis * 10, ...limits },
      });
    },

    async community(planId: string, status: "LIVE" | "SUSPENDED" = "LIVE") {
      const tag = randomBytes(4).toString("hex");
      const owner = await db.user.create({ data: { email: `metrics-${tag}@example.org` } });
      return db.community.create({
        data: { slug: `m-${tag}`, name: `Metrics ${tag}`, software: "MASTODON", status, planId, ownerId: owner.id },
      });
    },

    async network(): Promise<string> {
      const name = `${run}-net-${networks.length}`;
      await docker().createNetwork({ Name: name, Labels: { [RUN_LABEL]: run } });
      networks.push(name);
      return name;
    },

    /** A volume labelled as one of the tenant's, like provisioning makes them. */
    async volume(tenantId: string): Promise<string> {
      const name = `${run}-vol-${volumes.length}`;
      await docker().createVolume({
        Name: name,
        Labels: { [LABEL.installation]: await installationId(), [LABEL.tenant]: tenantId, [RUN_LABEL]: run },
      });
      volumes.push(name);
      return name;
    },

    /** Starts a labelled container running `sh -c script`. */
    async container(
      tenantId: string,
      component: string,
      script: string,
      extra: Partial<Docker.ContainerCreateOptions> = {},
    ): Promise<Docker.Container> {
      await (built ??= buildImage());
      const container = await docker().createContainer({
        Image: image,
        Cmd: ["sh", "-c", script],
        Labels: {
          [LABEL.installation]: await installationId(),
          [LABEL.tenant]: tenantId,
          [LABEL.component]: component,
          [RUN_LABEL]: run,
        },
        ...extra,
        HostConfig: { NetworkMode: "none", ...extra.HostConfig },
      });
      await container.start();
      return container;
    },

    async cleanup() {
      const containers = await docker().listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${run}`] } });
      const failed: string[] = [];
      const attempt = (what: string, work: Promise<unknown>) => work.catch((e: Error) => failed.push(`${what}: ${e.message}`));
      // Leave our networks one container at a time first: dockerd 20.10 can lose count of a
      // network's endpoints when many containers on it are removed at once, and the network
      // then refuses removal for good ("has active endpoints").
      for (const name of networks) {
        for (const c of containers) {
          if (!c.NetworkSettings?.Networks?.[name]) continue;
          await attempt(`${c.Id} on ${name}`, docker().getNetwork(name).disconnect({ Container: c.Id, Force: true }));
        }
      }
      await Promise.all(containers.map((c) => attempt(c.Id, docker().getContainer(c.Id).remove({ force: true }))));
      for (const name of networks) await attempt(name, docker().getNetwork(name).remove());
      for (const name of volumes) await attempt(name, docker().getVolume(name).remove());
      await attempt(image, docker().getImage(image).remove({ force: true }));
      if (failed.length > 0) console.warn(`cleanup of ${run} left:\n${failed.join("\n")}`);
    },
  };
}

export type Fixtures = ReturnType<typeof createFixtures>;

/** Runs a command in a container and waits for it; throws with its output when it fails. */
export async function exec(container: Docker.Container, cmd: string[]): Promise<void> {
  const run = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await run.start({});
  let output = "";
  await new Promise<void>((resolve, reject) => {
    stream.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    stream.on("end", resolve);
    stream.on("error", reject);
  });
  const { ExitCode } = await run.inspect();
  if (ExitCode !== 0) throw new Error(`${cmd.join(" ")} exited with ${ExitCode}: ${output}`);
}
