// The images the tests' instances run on. The database and Redis are the real thing: PostgreSQL 15
// and Redis 7 built from Debian's packages (src/testbed/images), the same for every run and reused
// from the machine's cache. The app processes cannot be built offline (Mastodon needs rubygems,
// Misskey and Sharkey tarballs from GitHub), so they are stand-ins: the test bed's `app-standin`
// image (Debian, as upstream's images are, with psql, redis-cli, curl, ps and busybox) plus the
// shell scripts in standin/bin, which act like upstream where Hearth depends on it: the same
// commands, user (991), working directories, volume paths, health checks, exit codes and API
// answers, and real reads and writes in the tenant's PostgreSQL and Redis. Each script names the
// upstream file and version it imitates.
//
// Per run, the scripts are copied into one layer on top of app-standin (a second, no build) and one
// image per component and version is committed from it with the user, working directory, command
// and folders the real image has, under tags unique to the run.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Docker from "dockerode";
import { ensureImages, testbedImageTag } from "@/testbed/images/build-image";
import { tarball } from "../tar";

const SCRIPTS = fileURLToPath(new URL("./standin/bin/", import.meta.url));
export const STANDIN_LABEL = "hearth.test";

const TARGETS = ["mastodon", "mastodon-streaming", "misskey", "sharkey"] as const;
export type StandInTarget = (typeof TARGETS)[number];

/** The versions the stand-ins are tagged with by default: the pinned security releases. */
export const STANDIN_VERSIONS: Record<StandInTarget, string> = {
  mastodon: "v4.7.2",
  "mastodon-streaming": "v4.7.2",
  misskey: "2026.5.4",
  sharkey: "2025.4.7",
};

const PATH = "PATH=/usr/local/bin:/usr/local/sbin:/usr/bin:/bin:/usr/local/lib/standin";

// What each image has, as the real image has it (the Dockerfiles of mastodon/mastodon v4.5-4.7,
// misskey-dev/misskey 2026.5 and Sharkey 2025.4): user 991, the working directory, the command.
const IMAGES: Record<StandInTarget, Pick<Docker.ContainerCreateOptions, "User" | "WorkingDir" | "Cmd">> = {
  mastodon: { User: "mastodon", WorkingDir: "/opt/mastodon", Cmd: ["bundle", "exec", "puma", "-C", "config/puma.rb"] },
  "mastodon-streaming": { User: "mastodon", WorkingDir: "/opt/mastodon", Cmd: ["node", "./streaming/index.js"] },
  misskey: { User: "misskey", WorkingDir: "/misskey", Cmd: ["pnpm", "run", "migrateandstart"] },
  sharkey: { User: "sharkey", WorkingDir: "/sharkey", Cmd: ["pnpm", "run", "migrateandstart"] },
};

export type StandIns = {
  run: string;
  tags: Record<StandInTarget, string>;
  /** HEARTH_IMAGE_* settings that make every template use the stand-ins and the real data images. */
  env: Record<string, string>;
  /** The same stand-in at another version (for upgrades), committed on demand. */
  version: (target: StandInTarget, version: string) => Promise<string>;
  remove: () => Promise<void>;
};

const repository = (run: string, target: StandInTarget) => `hearth-test-${run}/${target}`;

export function standInTags(run: string): StandIns["tags"] {
  return Object.fromEntries(TARGETS.map((t) => [t, `${repository(run, t)}:${STANDIN_VERSIONS[t]}`])) as StandIns["tags"];
}

/** Known before anything is built, so a test can configure its environment at import time. */
export function standInEnv(run: string): Record<string, string> {
  const tags = standInTags(run);
  return {
    HEARTH_IMAGE_MASTODON: tags.mastodon,
    HEARTH_IMAGE_MASTODON_STREAMING: tags["mastodon-streaming"],
    HEARTH_IMAGE_MASTODON_POSTGRES: testbedImageTag("postgres"),
    HEARTH_IMAGE_MISSKEY: tags.misskey,
    HEARTH_IMAGE_SHARKEY: tags.sharkey,
    HEARTH_IMAGE_MISSKEY_POSTGRES: testbedImageTag("postgres"),
    HEARTH_IMAGE_REDIS: testbedImageTag("redis"),
  };
}

/**
 * A hash of everything the stand-ins are made from (the app-standin image's tag, itself a hash of
 * its recipe and base; each script; what each image is committed with), so a run
 * named after it (`npm start`'s stand-ins, src/cli/local-instances.ts) is made once per machine.
 */
export function standInDigest(): string {
  const hash = createHash("sha256").update(`${testbedImageTag("app-standin")}\n${PATH}\n${JSON.stringify([IMAGES, STANDIN_VERSIONS])}\n`);
  for (const script of readdirSync(SCRIPTS).sort()) {
    hash.update(`${script} ${createHash("sha256").update(readFileSync(`${SCRIPTS}${script}`)).digest("hex")}\n`);
  }
  return hash.digest("hex").slice(0, 12);
}

function scripts(): Promise<Buffer> {
  return tarball(
    readdirSync(SCRIPTS).map((script) => ({
      type: "file" as const,
      name: script,
      mode: script === "standin-lib" ? 0o644 : 0o755,
      content: readFileSync(`${SCRIPTS}${script}`),
    })),
  );
}

/**
 * The real PostgreSQL and Redis images (built once per machine, minutes on a fresh one) and this
 * run's stand-ins (seconds).
 */
export async function buildStandIns(run: string, docker = new Docker(), log: (line: string) => void = () => {}): Promise<StandIns> {
  const testbed = await ensureImages(docker, ["postgres", "redis", "app-standin"], log);
  const labels = { [STANDIN_LABEL]: run };
  const layer = await docker.createContainer({ Image: testbed["app-standin"].tag, Labels: labels });
  await layer.putArchive(await scripts(), { path: "/usr/local/bin" });
  const base = `hearth-test-${run}/standin-base:latest`;
  await layer.commit({ repo: base.split(":")[0], tag: "latest" });
  await layer.remove();

  const made: string[] = [base];
  const commit = async (target: StandInTarget, version: string) => {
    const tag = `${repository(run, target)}:${version}`;
    const container = await docker.createContainer({
      Image: base,
      Labels: labels,
      Env: [PATH, `STANDIN_SOFTWARE=${target}`, `STANDIN_VERSION=${version}`],
      ...IMAGES[target],
    });
    await container.commit({ repo: repository(run, target), tag: version });
    await container.remove();
    made.push(tag);
    return tag;
  };
  const tags = standInTags(run);
  for (const target of TARGETS) await commit(target, STANDIN_VERSIONS[target]);
  return {
    run,
    tags,
    env: standInEnv(run),
    version: commit,
    remove: async () => {
      // Only this run's stand-ins: the real images stay for the next run.
      for (const image of made.reverse()) {
        await docker
          .getImage(image)
          .remove({ force: true })
          .catch(() => {});
      }
    },
  };
}
