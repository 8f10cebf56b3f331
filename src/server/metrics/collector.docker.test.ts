// The collector against the real engine, with containers doing known work: a busy loop
// under half a CPU, 64 MiB held in a tmpfs, an 8 MiB HTTP transfer between two tenants,
// a restart. Both stats sources (cgroup files and the Docker API) must report the same.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type Docker from "dockerode";
import { db } from "@/server/db/client";
import { collectOnce, newCollectorState, type CollectorState } from "./collect-once";
import { hostInfo } from "./host-info";
import { measureDisk } from "./measure-disk";
import { createFixtures, exec } from "./test-fixtures";

const MiB = 1024 * 1024;
const fx = createFixtures();
// Waits are for work done, which a loaded host slows down: generous limits for them and the tests.
const POLL = { timeout: 100_000, interval: 100 };
const SLOW = 120_000;

type Tenant = { id: string };
let busy: Tenant, memory: Tenant, server: Tenant, client: Tenant;
let clientContainer: Docker.Container, busyContainer: Docker.Container;
let fileUrl: string;

// The busy loop's own CPU time as the kernel counts it per process (/proc/<pid>/stat),
// a path independent of cgroups and of dockerd, so the machine's other load cannot make
// the test pass or fail by chance: the loop gets 50 % of a CPU unless the host is busy.
async function processCpuSeconds(container: Docker.Container): Promise<number> {
  const pid = (await container.inspect()).State.Pid;
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ ticks
}

/** Waits until the loop has done `seconds` of CPU work since `from` (at most half a CPU: twice that in time, or more on a busy host). */
async function untilCpuWork(container: Docker.Container, from: number, seconds: number) {
  await expect.poll(async () => (await processCpuSeconds(container)) - from, POLL).toBeGreaterThanOrEqual(seconds);
}

/** Waits until the tenant's last reading is `ms` old: a rate needs readings that far apart. */
async function untilReadingAge(tenantId: string, ms: number) {
  await expect.poll(async () => Date.now() - (await readAt(tenantId)), POLL).toBeGreaterThanOrEqual(ms);
}

beforeAll(async () => {
  await fx.ensureImage();
  const plan = await fx.plan({ cpuMillis: 1000, memoryMb: 512 });
  [busy, memory, server, client] = await Promise.all([
    fx.community(plan.id),
    fx.community(plan.id),
    fx.community(plan.id),
    fx.community(plan.id),
  ]);
  const network = await fx.network();
  let serverContainer: Docker.Container | undefined;
  await Promise.all([
    fx.container(busy.id, "web", "while :; do :; done", { HostConfig: { NanoCpus: 500_000_000 } }).then((c) => (busyContainer = c)),
    fx.container(memory.id, "db", "dd if=/dev/zero of=/hold/x bs=1M count=64 2>/dev/null; sleep 3600", {
      HostConfig: { Tmpfs: { "/hold": "size=100m" } },
    }),
    fx.container(
      server.id,
      "web",
      "mkdir /www && dd if=/dev/zero of=/www/f bs=1M count=8 2>/dev/null && httpd -f -p 8080 -h /www",
      { HostConfig: { NetworkMode: network } },
    ).then((c) => (serverContainer = c)),
  ]);
  clientContainer = await fx.container(client.id, "web", "sleep 3600", { HostConfig: { NetworkMode: network } });
  const address = (await serverContainer!.inspect()).NetworkSettings.Networks[network]?.IPAddress;
  fileUrl = `http://${address}:8080/f`;
  // Wait until the server answers (a HEAD request moves almost nothing).
  await vi.waitFor(() => exec(clientContainer, ["wget", "-q", "--spider", fileUrl]), POLL);
}, 120_000);

afterAll(async () => {
  await fx.cleanup();
  await db.$disconnect();
});

async function readAt(tenantId: string): Promise<number> {
  const row = await db.containerCounter.findFirstOrThrow({ where: { communityId: tenantId } });
  return row.readAt.getTime();
}

for (const source of ["cgroup", "api"] as const) {
  describe(`with the ${source} source`, () => {
    const state: CollectorState = newCollectorState();
    const sweep = () => collectOnce({ state, config: { source } });

    it("reports CPU near 50 % for a busy loop limited to half a CPU, and 64 MiB held in a tmpfs", async () => {
      const [cpuBefore, wallBefore] = [await processCpuSeconds(busyContainer), performance.now()];
      const first = await sweep();
      expect(source === "api" ? first.viaApi : first.viaCgroup).toBe(first.running);
      await untilCpuWork(busyContainer, cpuBefore, 1);
      const second = await sweep();
      const [cpuAfter, wallAfter] = [await processCpuSeconds(busyContainer), performance.now()];
      const expected = ((cpuAfter - cpuBefore) / ((wallAfter - wallBefore) / 1000)) * 100;
      const cpu = second.figures.get(busy.id)!.rates.cpuPercent;
      console.info(`${source}: busy loop at ${cpu.toFixed(1)} % (its own CPU time says ${expected.toFixed(1)} %)`);
      expect(expected).toBeLessThan(55); // the limit holds
      expect(Math.abs(cpu - expected)).toBeLessThan(8);
      expect(cpu).toBeLessThan(55);
      const held = second.figures.get(memory.id)!.memoryBytes;
      expect(held).toBeGreaterThanOrEqual(64 * MiB);
      expect(held).toBeLessThan(72 * MiB);
      // The same figures were written: the latest row and a raw sample.
      const latest = await db.tenantLoad.findUniqueOrThrow({ where: { communityId: busy.id } });
      expect(latest.cpuPercent).toBeCloseTo(cpu, 3);
      expect(await db.loadSample.count({ where: { communityId: busy.id, at: second.at } })).toBe(1);
    }, SLOW);

    it("measures an 8 MiB transfer between two tenants' containers on a network", async () => {
      await sweep();
      const [serverBefore, clientBefore] = [await readAt(server.id), await readAt(client.id)];
      await exec(clientContainer, ["wget", "-q", "-O", "/dev/null", fileUrl]);
      // Readings closer than 0.2 s give no rate at all; leave a real interval.
      await untilReadingAge(server.id, 1000);
      await untilReadingAge(client.id, 1000);
      const after = await sweep();
      const sent = after.figures.get(server.id)!.rates.netTxBps * ((await readAt(server.id)) - serverBefore) / 1000;
      const received = after.figures.get(client.id)!.rates.netRxBps * ((await readAt(client.id)) - clientBefore) / 1000;
      for (const bytes of [sent, received]) {
        expect(bytes).toBeGreaterThanOrEqual(8 * MiB);
        expect(bytes).toBeLessThan(8 * MiB * 1.15);
      }
      // Each side's traffic is its own: the client sent only requests and acknowledgements.
      expect(after.figures.get(client.id)!.rates.netTxBps).toBeLessThan(after.figures.get(client.id)!.rates.netRxBps / 10);
    });
  });
}

describe("counter resets and restarts", () => {
  it("a restarted container gives a sane rate, not a negative or huge one", async () => {
    const state = newCollectorState();
    const plan = await fx.plan({ cpuMillis: 1000, memoryMb: 512 });
    const tenant = await fx.community(plan.id);
    const container = await fx.container(tenant.id, "web", "while :; do :; done", { HostConfig: { NanoCpus: 500_000_000 } });
    await collectOnce({ state });
    await untilCpuWork(container, 0, 1.2); // its CPU counter grows to 1.2 s
    await collectOnce({ state });
    await container.restart({ t: 0 }); // counters start again from zero
    await untilCpuWork(container, 0, 0.6); // the new process's own counter
    const after = await collectOnce({ state });
    const figures = after.figures.get(tenant.id)!;
    expect(figures.rated).toBe(1);
    // Only the time since the restart counts: positive (a plain difference of the counters
    // would be negative), and under the half-CPU limit.
    expect(figures.rates.cpuPercent).toBeGreaterThan(0.5);
    expect(figures.rates.cpuPercent).toBeLessThan(55);
    for (const value of Object.values(figures.rates)) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1e8);
    }
  }, SLOW);

  it("a restarted worker carries on from the persisted counters, with rates on its first sweep", async () => {
    await collectOnce({ state: newCollectorState() });
    const [cpuBefore, wallBefore] = [await processCpuSeconds(busyContainer), performance.now()];
    await untilCpuWork(busyContainer, cpuBefore, 1);
    const fresh = newCollectorState(); // nothing in memory, as after a restart
    const first = await collectOnce({ state: fresh });
    const expected =
      (((await processCpuSeconds(busyContainer)) - cpuBefore) / ((performance.now() - wallBefore) / 1000)) * 100;
    expect(fresh.restored).toBe(true);
    expect(first.figures.get(busy.id)!.rated).toBe(1);
    expect(Math.abs(first.figures.get(busy.id)!.rates.cpuPercent - expected)).toBeLessThan(8);
  }, SLOW);
});

describe("host networking", () => {
  it("a container on the host's network reports no traffic of its own, as docker stats does", async () => {
    const plan = await fx.plan({ cpuMillis: 1000, memoryMb: 512 });
    const tenant = await fx.community(plan.id);
    await fx.container(tenant.id, "web", "sleep 3600", { HostConfig: { NetworkMode: "host" } });
    const state = newCollectorState();
    for (const source of ["cgroup", "api"] as const) {
      await collectOnce({ state, config: { source } });
      await untilReadingAge(tenant.id, 1000);
      const figures = (await collectOnce({ state, config: { source } })).figures.get(tenant.id)!;
      expect(figures.rated).toBe(1);
      expect([figures.rates.netRxBps, figures.rates.netTxBps]).toEqual([0, 0]);
    }
  });
});

describe("disk use and host figures", () => {
  it("counts a tenant's labelled volumes, and writes the host's figures", async () => {
    const plan = await fx.plan({ cpuMillis: 1000, memoryMb: 512 });
    const tenant = await fx.community(plan.id);
    const volume = await fx.volume(tenant.id);
    const writer = await fx.container(tenant.id, "db", "dd if=/dev/zero of=/data/blob bs=1M count=6 2>/dev/null; sleep 3600", {
      HostConfig: { Binds: [`${volume}:/data`] },
    });
    await exec(writer, ["sh", "-c", "while [ ! -s /data/blob ] || [ $(wc -c < /data/blob) -lt 6291456 ]; do sleep 0.1; done"]);

    const disk = await measureDisk();
    const used = disk.perTenant.get(tenant.id) ?? 0;
    expect(used).toBeGreaterThanOrEqual(6 * MiB);
    expect(used).toBeLessThan(7 * MiB);
    expect(disk.dockerDiskBytes).toBeGreaterThanOrEqual(used);
    expect(disk.fsTotalBytes).toBeGreaterThan(disk.fsFreeBytes ?? Infinity);

    const state = newCollectorState();
    state.disk = disk;
    const summary = await collectOnce({ state });
    const load = await db.tenantLoad.findUniqueOrThrow({ where: { communityId: tenant.id } });
    expect(Number(load.diskBytes)).toBe(used);
    const info = (await hostInfo())!;
    const host = await db.hostLoad.findUniqueOrThrow({ where: { id: info.id } });
    expect(host).toMatchObject({ cpus: info.cpus, containersRunning: summary.running, volumesDiskBytes: BigInt(disk.volumesDiskBytes) });
  });
});
