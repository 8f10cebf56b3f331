// The stand-in images for tests and the bench, under unique tags per run. Real Mastodon and
// Misskey images cannot be pulled offline, so each stand-in is Debian's static busybox plus the
// shell scripts in standin/bin, which act like the real component where Hearth depends on it:
// the same commands, ports, health-check commands, config file, exit codes, data on volumes.
//
// The image is the equivalent of `FROM scratch` + COPY of that root file system: imported from
// a tarball (one API call, no build steps), then one image per component is committed from it
// with the working directory and command the real image has.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Readable } from "node:stream";
import Docker from "dockerode";
import { tarball } from "../tar";

const SCRIPTS = fileURLToPath(new URL("./standin/bin/", import.meta.url));
export const STANDIN_LABEL = "hearth.test";

const TARGETS = ["mastodon", "mastodon-streaming", "misskey", "sharkey", "postgres", "redis"] as const;
type Target = (typeof TARGETS)[number];

// What each image adds to the base, as the real image has it.
const IMAGES: Record<Target, Pick<Docker.ContainerCreateOptions, "WorkingDir" | "Cmd" | "Entrypoint">> = {
  mastodon: { WorkingDir: "/opt/mastodon", Cmd: ["bundle", "exec", "puma", "-C", "config/puma.rb"] },
  "mastodon-streaming": { WorkingDir: "/opt/mastodon", Cmd: ["node", "./streaming/index.js"] },
  misskey: { WorkingDir: "/misskey", Cmd: ["pnpm", "run", "migrateandstart"] },
  sharkey: { WorkingDir: "/sharkey", Cmd: ["pnpm", "run", "migrateandstart"] },
  postgres: { WorkingDir: "/", Entrypoint: ["docker-entrypoint.sh"], Cmd: ["postgres"] },
  redis: { WorkingDir: "/data", Cmd: ["redis-server"] },
};

export type StandIns = {
  run: string;
  tags: Record<Target, string>;
  /** HEARTH_IMAGE_* settings that make every template use the stand-ins. */
  env: Record<string, string>;
  remove: () => Promise<void>;
};

export function standInTags(run: string): StandIns["tags"] {
  return Object.fromEntries(TARGETS.map((t) => [t, `hearth-test/${t}:${run}`])) as StandIns["tags"];
}

export function standInEnv(run: string): Record<string, string> {
  const tags = standInTags(run);
  return {
    HEARTH_IMAGE_MASTODON: tags.mastodon,
    HEARTH_IMAGE_MASTODON_STREAMING: tags["mastodon-streaming"],
    HEARTH_IMAGE_MASTODON_POSTGRES: tags.postgres,
    HEARTH_IMAGE_MISSKEY: tags.misskey,
    HEARTH_IMAGE_SHARKEY: tags.sharkey,
    HEARTH_IMAGE_MISSKEY_POSTGRES: tags.postgres,
    HEARTH_IMAGE_REDIS: tags.redis,
  };
}

/** busybox, a link per applet, the scripts, and the folders the real images have. */
function rootfs(): Buffer {
  const dir = (name: string, mode = 0o755) => ({ type: "dir" as const, name: `${name}/`, mode });
  const applets = execFileSync("/bin/busybox", ["--list"], { encoding: "utf8" }).split("\n").filter(Boolean);
  return tarball([
    ...["bin", "usr", "usr/local", "usr/local/bin", "opt", "opt/mastodon", "misskey", "sharkey", "data"].map((d) => dir(d)),
    ...["var", "var/lib", "var/lib/postgresql", "var/lib/postgresql/data"].map((d) => dir(d)),
    dir("tmp", 0o1777),
    { type: "file", name: "bin/busybox", mode: 0o755, content: readFileSync("/bin/busybox") },
    ...applets
      .filter((a) => a !== "busybox")
      .map((a) => ({ type: "symlink" as const, name: `bin/${a}`, mode: 0o777, target: "busybox" })),
    ...readdirSync(SCRIPTS).map((script) => ({
      type: "file" as const,
      name: `usr/local/bin/${script}`,
      mode: 0o755,
      content: readFileSync(`${SCRIPTS}${script}`),
    })),
    { type: "symlink", name: "mastodon", mode: 0o777, target: "opt/mastodon" },
  ]);
}

async function drain(docker: Docker, stream: NodeJS.ReadableStream, what: string) {
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, output: { error?: string }[]) => {
      const failed = error?.message ?? output.find((o) => o.error)?.error;
      if (failed) reject(new Error(`${what} failed: ${failed}`));
      else resolve();
    });
  });
}

/** Builds every stand-in; about a second in all. */
export async function buildStandIns(run: string, docker = new Docker()): Promise<StandIns> {
  const base = `hearth-test/standin-base:${run}`;
  const [repo, tag] = base.split(":") as [string, string];
  await drain(
    docker,
    await docker.importImage(Readable.from([rootfs()]), {
      repo,
      tag,
      changes: ["ENV PATH=/usr/local/bin:/bin", `LABEL ${STANDIN_LABEL}=${run}`],
    }),
    `importing ${base}`,
  );
  const tags = standInTags(run);
  await Promise.all(
    TARGETS.map(async (target) => {
      const container = await docker.createContainer({ Image: base, Labels: { [STANDIN_LABEL]: run }, ...IMAGES[target] });
      const [targetRepo, targetTag] = tags[target].split(":") as [string, string];
      await container.commit({ repo: targetRepo, tag: targetTag });
      await container.remove();
    }),
  );
  return {
    run,
    tags,
    env: standInEnv(run),
    remove: async () => {
      for (const image of [...Object.values(tags), base]) {
        await docker
          .getImage(image)
          .remove({ force: true })
          .catch(() => {});
      }
    },
  };
}
