// The images `npm start` gives new instances on a machine that cannot have the real ones. The
// production images (ghcr.io/mastodon/mastodon, misskey/misskey, postgres, redis, ...) come from
// registries; on an offline machine without them a community could be funded and its server would
// wait for images forever. There, and only when nobody chose images (HEARTH_IMAGE_*), new instances
// get the test bed's stand-ins instead (src/server/provisioning/testing/standin-images.ts: real
// PostgreSQL and Redis, app processes that imitate upstream), made once per machine under tags
// named after a hash of what they are made from (hearth-test-local-<digest>/...). The child
// processes get HEARTH_STANDIN_INSTANCES=1, so the start form says a server runs as a stand-in.
//
// A production start (NODE_ENV=production, or a real Stripe key: real money) never gets stand-ins
// without HEARTH_STANDIN_INSTANCES=1; HEARTH_STANDIN_INSTANCES=0 turns them off everywhere.
import Docker from "dockerode";
import type { Env } from "@/server/config/env";
import { buildStandIns, standInDigest, standInEnv, standInTags } from "@/server/provisioning/testing/standin-images";
import { testbedImageTag } from "@/testbed/images/build-image";
import { imageExists } from "@/testbed/images/docker-progress";
import { withMachineLock } from "@/testbed/images/machine-lock";

/** The settings that choose a new instance's images; any of them set means the operator chose. */
export const INSTANCE_IMAGE_SETTINGS = [
  "HEARTH_IMAGE_MASTODON",
  "HEARTH_IMAGE_MASTODON_STREAMING",
  "HEARTH_IMAGE_MASTODON_POSTGRES",
  "HEARTH_IMAGE_MISSKEY",
  "HEARTH_IMAGE_SHARKEY",
  "HEARTH_IMAGE_MISSKEY_POSTGRES",
  "HEARTH_IMAGE_REDIS",
] as const;

// The apps the stand-ins imitate. A Bluesky PDS has no stand-in: it is the real image or nothing
// (the start form marks it unavailable when its image is missing).
const APP_IMAGE = { MASTODON: "HEARTH_IMAGE_MASTODON", MISSKEY: "HEARTH_IMAGE_MISSKEY", SHARKEY: "HEARTH_IMAGE_SHARKEY" } as const;
const imitated = (software: string): software is keyof typeof APP_IMAGE => software in APP_IMAGE;
const PULL_CHECK_MS = 8_000;

export type LocalInstances = {
  /** Added to the children's environment: the stand-ins' HEARTH_IMAGE_* and the flag, or nothing. */
  env: Record<string, string>;
  standIns: "none" | "found" | "built";
};

type Options = { docker?: Docker; say?: (line: string) => void; pullCheckMs?: number };

/** Present on the engine, or at least known to its registry (the engine's distribution inspect). */
async function obtainable(docker: Docker, image: string, timeoutMs: number): Promise<boolean> {
  if (await imageExists(docker, image)) return true;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      docker.getImage(image).distribution(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("timeout")), timeoutMs))),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** The stand-ins of this checkout, made where missing; `built` says whether anything was made. */
export async function ensureLocalStandIns(docker: Docker, say: (line: string) => void): Promise<{ env: Record<string, string>; built: boolean }> {
  const run = `local-${standInDigest()}`;
  const wanted = [...Object.values(standInTags(run)), testbedImageTag("postgres"), testbedImageTag("redis")];
  const allThere = async () => (await Promise.all(wanted.map((tag) => imageExists(docker, tag)))).every(Boolean);
  // Two starts on one machine (or a start beside a test run) make them once.
  const built = await withMachineLock(`standins-${run}`, async () => {
    if (await allThere()) return false;
    say(`making the stand-in images hearth-test-${run}/... (once per machine; minutes when PostgreSQL and Redis must be built too)`);
    await buildStandIns(run, docker, (line) => say(`  ${line}`));
    return true;
  });
  return { env: standInEnv(run), built };
}

type RawEnv = Record<string, string | undefined>;

const chosenImages = (env: RawEnv) => INSTANCE_IMAGE_SETTINGS.filter((key) => env[key]?.trim());

/** Stand-ins asked for (HEARTH_STANDIN_INSTANCES=1) and images chosen: start-up stops with this. */
export function standInConflict(config: Env, env: RawEnv): string | undefined {
  const chosen = chosenImages(env);
  if (config.HEARTH_STANDIN_INSTANCES !== "1" || chosen.length === 0) return undefined;
  return `HEARTH_STANDIN_INSTANCES=1 asks for the test bed's stand-ins, but ${chosen.join(", ")} ${chosen.length > 1 ? "are" : "is"} set: unset one or the other.`;
}

export async function localInstancesEnv(config: Env, env: RawEnv, options: Options = {}): Promise<LocalInstances> {
  const docker = options.docker ?? new Docker();
  const say = options.say ?? (() => {});
  const none: LocalInstances = { env: {}, standIns: "none" };
  const flag = config.HEARTH_STANDIN_INSTANCES;
  // Images chosen by the operator are used as they are (with =1 as well: standInConflict stops that start).
  if (flag === "0" || chosenImages(env).length > 0) return none;

  if (flag !== "1") {
    const apps = config.HEARTH_ENABLED_SOFTWARE.filter(imitated).map((software) => config[APP_IMAGE[software]]);
    if (apps.length === 0) return none; // only software without a stand-in is enabled
    let found: boolean[];
    try {
      await docker.ping();
      found = await Promise.all(apps.map((image) => obtainable(docker, image, options.pullCheckMs ?? PULL_CHECK_MS)));
    } catch {
      return none; // no engine: nothing can run anyway, and /api/health says so
    }
    // Any real app image to be had: production images as configured (the start form marks the rest).
    if (found.some(Boolean)) return none;
    const production = env.NODE_ENV === "production" ? "NODE_ENV=production" : config.STRIPE_SECRET_KEY ? "STRIPE_SECRET_KEY is set" : null;
    if (production) {
      say(`the images for new instances (${apps.join(", ")}) are neither on the Docker engine nor pullable from their registries.`);
      say(`  ${production}, so Hearth does not replace them with its test stand-ins: load the images (docker load) or set HEARTH_IMAGE_*;`);
      say("  for a demo on this machine, HEARTH_STANDIN_INSTANCES=1 runs stand-ins (not the real software).");
      return none;
    }
  }

  let made: { env: Record<string, string>; built: boolean };
  try {
    made = await ensureLocalStandIns(docker, say);
  } catch (error) {
    say(`could not make the stand-in images (${error instanceof Error ? error.message.split("\n")[0] : String(error)}).`);
    say("  The panel runs; new instances wait for their images (npm run images:build as root makes the test bed's images).");
    return none;
  }
  const tags = made.env;
  say(
    flag === "1"
      ? "HEARTH_STANDIN_INSTANCES=1: new instances run the test bed's STAND-INS, not real Mastodon, Misskey or Sharkey:"
      : "no Mastodon, Misskey or Sharkey image on this Docker engine and none can be pulled: new instances run the test bed's STAND-INS:",
  );
  say(`  ${tags.HEARTH_IMAGE_MASTODON}, ${tags.HEARTH_IMAGE_MISSKEY}, ... (${made.built ? "made now" : "already on this machine"}), with real PostgreSQL and Redis.`);
  say("  They imitate the apps for demos and tests; nobody can sign in or post on them. The start form says so.");
  say("  For real instances, load the real images or set HEARTH_IMAGE_* (README: Configuration for production).");
  return { env: { ...tags, HEARTH_STANDIN_INSTANCES: "1" }, standIns: made.built ? "built" : "found" };
}
