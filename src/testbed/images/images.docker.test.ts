// The test bed's real images behave like the official images where Hearth relies on them:
// PostgreSQL creates its role and database on the first start only, keeps data on its volume,
// answers over TCP only once the temporary init server is gone, runs as uid 999, dumps and
// restores; Redis runs as its own user with protected mode off and saves to /data.
import { randomBytes } from "node:crypto";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureImages, type BuiltImage } from "./build-image";

const docker = new Docker();
const run = randomBytes(4).toString("hex");
const LABELS = { "hearth.test": `images-${run}` };
let images: Record<"postgres" | "redis" | "caddy", BuiltImage>;

beforeAll(async () => {
  images = await ensureImages(docker, ["postgres", "redis", "caddy"], () => {});
}, 20 * 60_000);

afterAll(async () => {
  const filters = { label: [`hearth.test=images-${run}`] };
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true, v: true });
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => {});
});

async function exec(container: Docker.Container, cmd: string[], env: string[] = []): Promise<{ code: number; out: string }> {
  const e = await container.exec({ Cmd: cmd, Env: env, AttachStdout: true, AttachStderr: true });
  const stream = await e.start({});
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve) => {
    docker.modem.demuxStream(stream, { write: (c: Buffer) => chunks.push(c) } as never, { write: (c: Buffer) => chunks.push(c) } as never);
    stream.on("end", () => resolve());
  });
  return { code: (await e.inspect()).ExitCode ?? -1, out: Buffer.concat(chunks).toString("utf8") };
}

async function untilHealthyOverTcp(container: Docker.Container) {
  await expect
    .poll(async () => (await exec(container, ["pg_isready", "-h", "127.0.0.1", "-U", "app", "-d", "appdb"])).code, { timeout: 60_000, interval: 250 })
    .toBe(0);
}

describe("postgres image", () => {
  it("initialises from POSTGRES_* once, keeps data on the volume, dumps and restores, runs as 999", async () => {
    const volume = `hearth-test-pg-${run}`;
    await docker.createVolume({ Name: volume, Labels: LABELS });
    const create = () =>
      docker.createContainer({
        Image: images.postgres.tag,
        Labels: LABELS,
        Env: ["POSTGRES_USER=app", "POSTGRES_PASSWORD=secret-pw", "POSTGRES_DB=appdb"],
        HostConfig: { Binds: [`${volume}:/var/lib/postgresql/data`] },
      });
    const first = await create();
    await first.start();
    await untilHealthyOverTcp(first);
    const psql = (c: Docker.Container, sql: string) => exec(c, ["psql", "-U", "app", "-d", "appdb", "-tAc", sql]);
    expect((await psql(first, "CREATE TABLE notes (body text); INSERT INTO notes VALUES ('kept')")).code).toBe(0);
    expect((await exec(first, ["id", "-u", "postgres"])).out.trim()).toBe("999");
    const top = await first.top({ ps_args: "-o pid,uid,comm" });
    expect(top.Processes?.filter((p: string[]) => p[2] === "postgres").every((p: string[]) => p[1] === "999")).toBe(true);
    // Clients from the network need the password (the socket and loopback are trusted, as in
    // the official image): connect to the container's own network address.
    const overNetwork = (password: string) =>
      exec(first, ["bash", "-c", 'psql -h "$(hostname -i)" -U app -d appdb -tAc "SELECT 1"'], [`PGPASSWORD=${password}`]);
    const wrong = await overNetwork("wrong");
    expect(wrong.code).not.toBe(0);
    expect(wrong.out).toMatch(/password authentication failed/);
    expect(await overNetwork("secret-pw")).toEqual({ code: 0, out: "1\n" });

    const dump = await exec(first, ["sh", "-c", "pg_dump -U app -d appdb --format=custom > /tmp/d.pgdump && psql -U app -d postgres -qc 'CREATE DATABASE scratch' && pg_restore -U app -d scratch /tmp/d.pgdump && psql -U app -d scratch -tAc 'SELECT body FROM notes'"]);
    expect(dump).toEqual({ code: 0, out: "kept\n" });
    await first.stop();
    await first.remove();

    // A second container on the same volume keeps the data and ignores a changed POSTGRES_DB.
    const second = await create();
    await second.start();
    await untilHealthyOverTcp(second);
    expect((await psql(second, "SELECT body FROM notes")).out.trim()).toBe("kept");
    expect((await second.logs({ stdout: true, stderr: true })).toString()).not.toMatch(/init process complete/);
  }, 180_000);

  it("refuses to initialise without a password, as the official image does", async () => {
    const c = await docker.createContainer({ Image: images.postgres.tag, Labels: LABELS, Env: ["POSTGRES_USER=app"] });
    await c.start();
    const { StatusCode } = await c.wait();
    expect(StatusCode).toBe(1);
    expect((await c.logs({ stdout: true, stderr: true })).toString()).toMatch(/superuser password is not specified/);
  }, 60_000);
});

describe("redis image", () => {
  it("runs as redis (999) with protected mode off and saves into /data", async () => {
    const c = await docker.createContainer({ Image: images.redis.tag, Labels: LABELS });
    await c.start();
    await expect.poll(async () => (await exec(c, ["redis-cli", "ping"])).out.trim(), { timeout: 30_000 }).toBe("PONG");
    expect((await exec(c, ["redis-cli", "CONFIG", "GET", "protected-mode"])).out).toMatch(/protected-mode\s+no/);
    const top = await c.top({ ps_args: "-o pid,uid,comm" });
    expect(top.Processes?.find((p: string[]) => p[2] === "redis-server")?.[1]).toBe("999");
    expect((await exec(c, ["redis-cli", "SAVE"])).out.trim()).toBe("OK");
    expect((await exec(c, ["stat", "-c", "%u %s", "/data/dump.rdb"])).out).toMatch(/^999 \d+/);
  }, 60_000);
});

describe("caddy image", () => {
  it("runs Caddy 2 with its admin API on 2019", async () => {
    const c = await docker.createContainer({ Image: images.caddy.tag, Labels: LABELS });
    await c.start();
    await expect
      .poll(async () => (await exec(c, ["caddy", "version"])).out, { timeout: 30_000 })
      .toMatch(/^v?2\./);
    await expect
      .poll(async () => (await exec(c, ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/2019 && printf 'GET /config/ HTTP/1.0\\r\\nHost: localhost:2019\\r\\n\\r\\n' >&3 && head -1 <&3"])).out, { timeout: 30_000 })
      .toMatch(/200 OK/);
  }, 60_000);
});
