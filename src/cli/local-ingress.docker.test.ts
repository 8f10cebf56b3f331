// `npm start`'s ingress ports on the real engine: the ingress outlives `npm start`, so a second
// installation on the machine finds the usual ports held by the first one's. It then takes the
// next free pair and names the holder; the holder's own installation keeps its ports.
import { createServer, type Server } from "node:net";
import { randomBytes } from "node:crypto";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureImage } from "@/testbed/images/build-image";
import { localIngressPorts } from "./local-ingress";
import { freePort, portFree } from "./processes";

const docker = new Docker();
const run = randomBytes(4).toString("hex");
const LABEL = "hearth.test-local-ingress";
const BIND = "127.0.0.1";

/** Two ports that are free, each with the next one free too (the second pair). */
async function twoPairs(): Promise<{ https: number; http: number }> {
  for (;;) {
    const [https, http] = [await freePort(), await freePort()];
    const free = await Promise.all([https + 1, http + 1].map((p) => portFree(p, BIND)));
    if (https !== http && Math.abs(https - http) > 1 && free.every(Boolean)) return { https, http };
  }
}

let start: { https: number; http: number };
let other: Docker.Container;

beforeAll(async () => {
  start = await twoPairs();
  const image = (await ensureImage(docker, "redis", () => {})).tag; // any image the engine has
  // Another installation's ingress, as Hearth labels it, holding the first pair.
  other = await docker.createContainer({
    name: `hearth-${run}-ingress`,
    Image: image,
    Cmd: ["sleep", "600"],
    Labels: { [LABEL]: run, "hearth.installation": `other-${run}`, "hearth.component": "ingress" },
    ExposedPorts: { "443/tcp": {}, "80/tcp": {} },
    HostConfig: { PortBindings: { "443/tcp": [{ HostIp: BIND, HostPort: String(start.https) }], "80/tcp": [{ HostIp: BIND, HostPort: String(start.http) }] } },
  });
  await other.start();
}, 600_000);

afterAll(async () => {
  for (const c of await docker.listContainers({ all: true, filters: { label: [`${LABEL}=${run}`] } })) {
    await docker.getContainer(c.Id).remove({ force: true });
  }
});

describe("npm start's ingress ports", () => {
  it("takes the next free pair when another installation's ingress holds the usual one, and says how to free it", async () => {
    for (const own of [`mine-${run}`, null]) {
      const ports = await localIngressPorts(docker, own, BIND, start);
      expect(ports.https).toBe(start.https + 1);
      expect(ports.http).toBe(start.http + 1);
      expect(ports.said).toContain(`held by hearth-${run}-ingress, the ingress of another Hearth installation`);
      expect(ports.said).toContain(`docker rm -f hearth-${run}-ingress`);
      expect(ports.said).toContain(`answer on ${start.https + 1} (HTTP ${start.http + 1}) instead`);
    }
  });

  it("keeps the ports the installation's own ingress has", async () => {
    const ports = await localIngressPorts(docker, `other-${run}`, BIND, { https: start.https + 1, http: start.http + 1 });
    expect(ports).toEqual({ https: start.https, http: start.http });
  });

  it("takes the usual pair when it is free, and names a program that is not a container", async () => {
    const free = await twoPairs();
    expect(await localIngressPorts(docker, `mine-${run}`, BIND, free)).toEqual(free);
    const program: Server = createServer();
    await new Promise<void>((resolve) => program.listen(free.http, BIND, resolve));
    try {
      const ports = await localIngressPorts(docker, `mine-${run}`, BIND, free);
      expect(ports).toMatchObject({ https: free.https + 1, http: free.http + 1 });
      expect(ports.said).toContain("held by another program");
    } finally {
      await new Promise((resolve) => program.close(resolve));
    }
  });
});
