// `npm start`'s choice of images for new instances, on the real engine: where no app image can be
// had and nobody chose images, the test bed's stand-ins (made once per machine, then found); never
// when images are configured, when a real app image is on the engine, or in production without
// opt-in. The stand-ins' web processes say what they are at `/`.
import { randomBytes } from "node:crypto";
import Docker from "dockerode";
import { afterAll, describe, expect, it } from "vitest";
import { parseEnv } from "@/server/config/env";
import { execIn } from "@/server/provisioning/container-io";
import { ensureImage } from "@/testbed/images/build-image";
import { imageExists } from "@/testbed/images/docker-progress";
import { localInstancesEnv, standInConflict } from "./local-instances";

const docker = new Docker();
const run = randomBytes(4).toString("hex");
const LABEL = "hearth.test-local-instances";

// Production images no registry can serve (the .invalid name never resolves), whether or not
// this machine is online: what the defaults are on an offline machine.
const UNOBTAINABLE = {
  HEARTH_IMAGE_MASTODON: "hearth-absent.invalid/mastodon:v4.7.2",
  HEARTH_IMAGE_MISSKEY: "hearth-absent.invalid/misskey:2026.5.4",
  HEARTH_IMAGE_SHARKEY: "hearth-absent.invalid/sharkey:2025.4.7",
};

function decide(raw: Record<string, string>, configured: Record<string, string> = UNOBTAINABLE) {
  const lines: string[] = [];
  const env = { NODE_ENV: "development", ...raw };
  const config = parseEnv({ ...configured, ...env });
  return localInstancesEnv(config, env, { docker, say: (line) => lines.push(line) }).then((result) => ({ ...result, said: lines.join("\n") }));
}

/** GET `path` from inside a container of `image` running `cmd` (the stand-in's own server). */
async function fetchInside(image: string, cmd: string[], path: string): Promise<string> {
  const container = await docker.createContainer({ Image: image, Cmd: cmd, Labels: { [LABEL]: run } });
  await container.start();
  for (const started = Date.now(); ; ) {
    const answer = await execIn(docker, container.id, ["curl", "-sS", "--max-time", "5", `http://127.0.0.1:3000${path}`]);
    if (answer.exitCode === 0) return answer.stdout;
    if (Date.now() - started > 30_000) throw new Error(`nothing answered ${path} in ${image}: ${answer.stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

afterAll(async () => {
  for (const c of await docker.listContainers({ all: true, filters: { label: [`${LABEL}=${run}`] } })) {
    await docker.getContainer(c.Id).remove({ force: true });
  }
});

describe("npm start's images for new instances", () => {
  it("with no app image on the engine or at a registry, picks the stand-ins, made once and then found", async () => {
    const first = await decide({});
    expect(["found", "built"]).toContain(first.standIns);
    expect(first.env.HEARTH_STANDIN_INSTANCES).toBe("1");
    expect(first.env.HEARTH_IMAGE_MASTODON).toMatch(/^hearth-test-local-[0-9a-f]{12}\/mastodon:v4\.7\.2$/);
    expect(first.env.HEARTH_IMAGE_MISSKEY).toMatch(/^hearth-test-local-[0-9a-f]{12}\/misskey:2026\.5\.4$/);
    expect(first.env.HEARTH_IMAGE_MASTODON_POSTGRES).toMatch(/^hearth-testbed\/postgres:/);
    for (const key of ["HEARTH_IMAGE_MASTODON", "HEARTH_IMAGE_MASTODON_STREAMING", "HEARTH_IMAGE_MISSKEY", "HEARTH_IMAGE_SHARKEY", "HEARTH_IMAGE_MASTODON_POSTGRES", "HEARTH_IMAGE_REDIS"]) {
      expect(await imageExists(docker, first.env[key]!), key).toBe(true);
    }
    expect(first.said).toContain("STAND-INS");
    expect(first.said).toContain(first.env.HEARTH_IMAGE_MASTODON);

    const again = await decide({});
    expect(again.standIns).toBe("found");
    expect(again.env).toEqual(first.env);

    // Following an instance's link shows what it is, naming what it imitates.
    const mastodon = await fetchInside(first.env.HEARTH_IMAGE_MASTODON!, ["standin-serve", "web", "0.0.0.0", "3000"], "/");
    expect(mastodon).toContain("<h1>Stand-in for Mastodon v4.7.2</h1>");
    expect(mastodon).toContain("This server is not Mastodon.");
    expect(mastodon).toContain("ghcr.io/mastodon/mastodon:v4.7.2");
    const misskey = await fetchInside(first.env.HEARTH_IMAGE_MISSKEY!, ["nc", "-ll", "-p", "3000", "-e", "/usr/local/bin/standin-misskey-http"], "/");
    expect(misskey).toContain("<h1>Stand-in for Misskey 2026.5.4</h1>");
    expect(misskey).toContain("https://github.com/misskey-dev/misskey");
  }, 30 * 60_000);

  it("uses the configured images as they are when any HEARTH_IMAGE_* is set", async () => {
    const chosen = await decide({ HEARTH_IMAGE_REDIS: "hearth-absent.invalid/redis:7" });
    expect(chosen).toMatchObject({ env: {}, standIns: "none", said: "" });
    const off = await decide({ HEARTH_STANDIN_INSTANCES: "0" });
    expect(off).toMatchObject({ env: {}, standIns: "none" });
    // Asking for stand-ins and choosing images at once stops start-up.
    const raw = { HEARTH_STANDIN_INSTANCES: "1", HEARTH_IMAGE_MASTODON: "ghcr.io/mastodon/mastodon:v4.7.2" };
    expect(standInConflict(parseEnv(raw), raw)).toContain("HEARTH_STANDIN_INSTANCES=1 asks for the test bed's stand-ins, but HEARTH_IMAGE_MASTODON is set");
    expect(standInConflict(parseEnv({}), {})).toBeUndefined();
  });

  it("leaves the production images alone when one of the apps' images is on the engine", async () => {
    const present = (await ensureImage(docker, "redis", () => {})).tag; // any image the engine has
    const result = await decide({}, { ...UNOBTAINABLE, HEARTH_IMAGE_MISSKEY: present });
    expect(result).toMatchObject({ env: {}, standIns: "none" });
  });

  it("never runs stand-ins in production without HEARTH_STANDIN_INSTANCES=1, and says how to opt in", async () => {
    // A production start needs real payments or the emulator chosen by name (config/env.ts).
    const production = await decide({ NODE_ENV: "production", HEARTH_PAYMENTS: "emulator" });
    expect(production).toMatchObject({ env: {}, standIns: "none" });
    expect(production.said).toContain("NODE_ENV=production, so Hearth does not replace them");
    expect(production.said).toContain("HEARTH_STANDIN_INSTANCES=1");
    const realMoney = await decide({ STRIPE_SECRET_KEY: "sk_live_x", STRIPE_WEBHOOK_SECRET: "whsec_x" });
    expect(realMoney).toMatchObject({ env: {}, standIns: "none" });
    expect(realMoney.said).toContain("STRIPE_SECRET_KEY is set");

    const optedIn = await decide({ NODE_ENV: "production", HEARTH_PAYMENTS: "emulator", HEARTH_STANDIN_INSTANCES: "1" });
    expect(optedIn.standIns).toBe("found");
    expect(optedIn.env.HEARTH_STANDIN_INSTANCES).toBe("1");
    expect(optedIn.said).toContain("HEARTH_STANDIN_INSTANCES=1: new instances run the test bed's STAND-INS");
  }, 120_000);
});
