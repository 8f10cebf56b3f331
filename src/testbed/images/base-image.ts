// The Debian base every test-bed image builds on. No registry can be reached, so it is made
// here: `debootstrap --variant=minbase` from the machine's own Debian mirror, the machine's apt
// sources copied in (updates and security), apt's caches dropped, then `docker import`. Needs
// root and Debian's debootstrap. Tagged by a hash of what it is made from, so a machine that has
// it never makes it again.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Docker from "dockerode";
import { followDockerProgress, imageExists } from "./docker-progress";

const SUITE = "bookworm";
const SOURCES = "/etc/apt/sources.list.d/debian.sources";
// Bump when the recipe below changes in a way the hash cannot see.
const RECIPE = "debootstrap minbase v1";

function mirror(sources: string): string {
  const uri = /^URIs:\s*(\S+)/m.exec(sources)?.[1];
  if (!uri) throw new Error(`no URIs line in ${SOURCES}: cannot tell which Debian mirror to use`);
  return uri;
}

export function baseImageTag(): string {
  const sources = existsSync(SOURCES) ? readFileSync(SOURCES, "utf8") : "";
  const hash = createHash("sha256").update(`${RECIPE}\n${SUITE}\n${sources}`).digest("hex").slice(0, 12);
  return `hearth-testbed/debian:${SUITE}-${hash}`;
}

export async function ensureBaseImage(docker: Docker, log: (line: string) => void): Promise<string> {
  const tag = baseImageTag();
  if (await imageExists(docker, tag)) return tag;
  if (process.getuid?.() !== 0) throw new Error(`the base image ${tag} is missing and making it needs root (debootstrap)`);
  if (spawnSync("debootstrap", ["--version"]).error) throw new Error("debootstrap is not installed (apt-get install debootstrap)");
  const started = Date.now();
  const work = mkdtempSync(join(process.env.HEARTH_TESTBED_WORK ?? tmpdir(), "hearth-debootstrap-"));
  const rootfs = join(work, "rootfs");
  try {
    const sources = readFileSync(SOURCES, "utf8");
    log(`base image: debootstrap ${SUITE} from ${mirror(sources)}`);
    const boot = spawnSync("debootstrap", ["--variant=minbase", SUITE, rootfs, mirror(sources)], { encoding: "utf8" });
    if (boot.status !== 0) throw new Error(`debootstrap failed (${boot.status}): ${(boot.stdout + boot.stderr).slice(-2000)}`);
    copyFileSync(SOURCES, join(rootfs, "etc/apt/sources.list.d/debian.sources"));
    rmSync(join(rootfs, "etc/apt/sources.list"), { force: true });
    for (const dir of ["var/lib/apt/lists", "var/cache/apt/archives"]) {
      spawnSync("find", [join(rootfs, dir), "-mindepth", "1", "-maxdepth", "1", "!", "-name", "partial", "!", "-name", "lock", "-exec", "rm", "-rf", "{}", "+"]);
    }
    const tar = spawn("tar", ["-C", rootfs, "--numeric-owner", "-c", "."], { stdio: ["ignore", "pipe", "inherit"] });
    const [repo, version] = tag.split(":") as [string, string];
    const stream = await docker.importImage(tar.stdout, { repo, tag: version, changes: ['CMD ["bash"]', "LABEL hearth.testbed=base"] });
    await followDockerProgress(docker, stream, `importing ${tag}`);
    log(`base image: ${tag} made in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return tag;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
