// A did:plc directory for tests and benches (@did-plc/server in the test bed's PDS image, on the
// test bed's PostgreSQL), on a network of its own. A PDS reaches it as http://plc:2582 once the
// directory has joined the tenant's network under that alias (`joinTenantNetwork`): Hearth makes
// that network when it provisions the PDS, so the directory joins as soon as it appears.
import type Docker from "dockerode";
import { execIn } from "../container-io";

export const PLC_URL = "http://plc:2582";

export type PlcDirectory = {
  container: Docker.Container;
  /** Joins the tenant network `name` as "plc" as soon as provisioning has made it. */
  joinTenantNetwork: (name: string, deadline: number) => Promise<void>;
  /** Leaves a tenant network (Hearth removes only what it made, so the directory must go first). */
  leave: (name: string) => Promise<void>;
  /** A DID's document as the directory serves it (asked from inside its container). */
  document: (did: string) => Promise<{ alsoKnownAs?: string[]; service?: { id: string; type: string; serviceEndpoint: string }[] }>;
  remove: () => Promise<void>;
};

export async function startPlcDirectory(
  docker: Docker,
  images: { postgres: string; pds: string },
  prefix: string,
  labels: Record<string, string>,
): Promise<PlcDirectory> {
  const network = await docker.createNetwork({ Name: `${prefix}-net`, Labels: labels });
  const started: Docker.Container[] = [];
  const start = async (name: string, options: Docker.ContainerCreateOptions) => {
    const container = await docker.createContainer({
      name: `${prefix}-${name}`,
      Labels: labels,
      ...options,
      HostConfig: { NetworkMode: network.id, ...options.HostConfig },
      NetworkingConfig: { EndpointsConfig: { [network.id]: { Aliases: [name] } } },
    });
    started.push(container);
    await container.start();
    return container;
  };
  await start("plcdb", { Image: images.postgres, Env: ["POSTGRES_USER=plc", "POSTGRES_PASSWORD=plc-pw", "POSTGRES_DB=plc"] });
  const plc = await start("plc", {
    Image: images.pds,
    Cmd: ["node", "plc.cjs"],
    Env: ["DATABASE_URL=postgresql://plc:plc-pw@plcdb:5432/plc", "PORT=2582"],
    HostConfig: { RestartPolicy: { Name: "on-failure", MaximumRetryCount: 30 } }, // until its database is up
  });
  return {
    container: plc,
    async joinTenantNetwork(name, deadline) {
      while (Date.now() < deadline) {
        const found = await docker.listNetworks({ filters: { name: [name] } });
        if (found.some((n) => n.Name === name)) {
          await docker.getNetwork(name).connect({ Container: plc.id, EndpointConfig: { Aliases: ["plc"] } });
          return;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`the tenant network ${name} never appeared`);
    },
    async leave(name) {
      await docker.getNetwork(name).disconnect({ Container: plc.id, Force: true });
    },
    async document(did) {
      const script = `fetch("http://127.0.0.1:2582/" + process.argv[1]).then(async (r) => { if (!r.ok) process.exit(1); process.stdout.write(await r.text()); })`;
      const answer = await execIn(docker, `${prefix}-plc`, ["node", "-e", script, did], 60);
      if (answer.exitCode !== 0) throw new Error(`the directory has no document for ${did}`);
      return JSON.parse(answer.stdout);
    },
    async remove() {
      for (const c of started) await c.remove({ force: true, v: true }).catch(() => {});
      await network.remove().catch(() => {});
    },
  };
}
