// Docker helpers for the admin tests: a tiny busybox image (FROM scratch, built locally:
// nothing can be pulled here) and labelled containers that behave like a tenant's, all named
// and tagged per test run and removed afterwards.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { docker } from "@/server/docker/client";
import { LABEL, installationId } from "@/server/docker/labels";

export const RUN = randomBytes(4).toString("hex");
export const IMAGE = `hearth-admin-test/busybox:${RUN}`;
const TEST_LABEL = "hearth.admin-test";

export async function buildBusybox(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "hearth-admin-image-"));
  try {
    copyFileSync("/bin/busybox", join(dir, "busybox"));
    writeFileSync(
      join(dir, "Dockerfile"),
      ["FROM scratch", "COPY busybox /bin/busybox", 'RUN ["/bin/busybox", "--install", "-s", "/bin"]', `LABEL ${TEST_LABEL}=${RUN}`, 'CMD ["sh"]'].join("\n"),
    );
    const stream = await docker().buildImage({ context: dir, src: ["Dockerfile", "busybox"] }, { t: IMAGE, labels: { [TEST_LABEL]: RUN } });
    await new Promise<void>((resolve, reject) =>
      docker().modem.followProgress(stream, (error: Error | null, output: { error?: string }[]) => {
        const failed = error ?? output.find((o) => o.error);
        if (failed) reject(failed instanceof Error ? failed : new Error(String(failed.error)));
        else resolve();
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A running container labelled as one component of a tenant, running `script` in sh. */
export async function tenantContainer(tenantId: string, component: string, script: string, options: { health?: string } = {}) {
  const container = await docker().createContainer({
    name: `hearth-admin-test-${RUN}-${component}-${randomBytes(3).toString("hex")}`,
    Image: IMAGE,
    Cmd: ["sh", "-c", script],
    Labels: { [LABEL.installation]: await installationId(), [LABEL.tenant]: tenantId, [LABEL.component]: component, [TEST_LABEL]: RUN },
    HostConfig: { NetworkMode: "none" },
    ...(options.health ? { Healthcheck: { Test: ["CMD-SHELL", options.health], Interval: 200_000_000, Retries: 1, StartPeriod: 0 } } : {}),
  });
  await container.start();
  return container;
}

export async function removeAll(): Promise<void> {
  const mine = await docker().listContainers({ all: true, filters: { label: [`${TEST_LABEL}=${RUN}`] } });
  await Promise.all(mine.map((c) => docker().getContainer(c.Id).remove({ force: true }).catch(() => {})));
  await docker().getImage(IMAGE).remove({ force: true }).catch(() => {});
}
