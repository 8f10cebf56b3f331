// Test-bed images: real PostgreSQL, Redis and Caddy (and more) built from Debian's packages on
// the base image, because no registry can be reached. Each is tagged by a hash of everything it
// is built from (the base image, the recipe's files, files taken from the host, build args), so
// an image is built once per machine and reused by every later run; a change to a recipe makes a
// new tag. Concurrent runs on one machine wait for each other instead of building twice.
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type Docker from "dockerode";
import { baseImageTag, ensureBaseImage } from "./base-image";
import { followDockerProgress, imageExists } from "./docker-progress";
import { withMachineLock } from "./machine-lock";

const RECIPES = fileURLToPath(new URL("./recipes/", import.meta.url));

export type Recipe = {
  /** Folder under recipes/ holding the Dockerfile and what it copies. */
  dir: string;
  /** Files copied from the host into the build context: context name -> host path. */
  hostFiles?: Record<string, string>;
  buildArgs?: Record<string, string>;
};

/** For recipes that run npm: the registry's chain is trusted by the host's bundle only. */
export const HOST_CA_BUNDLE = { "ca-certificates.crt": "/etc/ssl/certs/ca-certificates.crt" };

export const RECIPE_LIST = {
  postgres: { dir: "postgres" },
  redis: { dir: "redis" },
  caddy: { dir: "caddy" },
  // The app stand-ins' base: Debian with psql, redis-cli, curl, ps and a static busybox.
  "app-standin": { dir: "app-standin", hostFiles: { busybox: "/bin/busybox" } },
  // Compiles better-sqlite3 from source: 5 min on a quiet machine, 42 min under a load average of 40.
  pds: { dir: "pds", hostFiles: HOST_CA_BUNDLE },
} satisfies Record<string, Recipe>;

export type ImageName = keyof typeof RECIPE_LIST;
export const IMAGE_NAMES = Object.keys(RECIPE_LIST) as ImageName[];
/** What `npm run images:build` and CI build when no names are given: what the tests use. */
export const DEFAULT_IMAGES: ImageName[] = ["postgres", "redis", "caddy", "app-standin", "pds"];
export type BuiltImage = { name: string; tag: string; built: boolean; seconds: number };

function files(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? files(dir, join(prefix, entry.name)) : [join(prefix, entry.name)]))
    .sort();
}

function recipeFiles(recipe: Recipe): [name: string, from: string][] {
  const source = join(RECIPES, recipe.dir);
  return [
    ...files(source).map((name): [string, string] => [name, join(source, name)]),
    ...Object.entries(recipe.hostFiles ?? {}).sort(),
  ];
}

/** The hash of everything an image is built from: the base, each file with its mode, the build args. */
function recipeHash(recipe: Recipe, base: string): string {
  const hash = createHash("sha256").update(`base ${base}\n`);
  for (const [name, from] of recipeFiles(recipe)) {
    const mode = statSync(from).mode & 0o777;
    hash.update(`${name} ${mode.toString(8)} ${createHash("sha256").update(readFileSync(from)).digest("hex")}\n`);
  }
  for (const [key, value] of Object.entries(recipe.buildArgs ?? {}).sort()) hash.update(`arg ${key}=${value}\n`);
  return hash.digest("hex").slice(0, 12);
}

/** The tag an image has (or will have once built), without building anything. */
export function testbedImageTag(name: ImageName): string {
  return `hearth-testbed/${name}:${recipeHash(RECIPE_LIST[name], baseImageTag())}`;
}

/** A build context in a temporary folder. */
function context(recipe: Recipe): string {
  const dir = mkdtempSync(join(tmpdir(), `hearth-testbed-${recipe.dir}-`));
  for (const [name, from] of recipeFiles(recipe)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), readFileSync(from));
    chmodSync(join(dir, name), statSync(from).mode & 0o777);
  }
  return dir;
}

export async function ensureImage(docker: Docker, name: ImageName, log: (line: string) => void = console.log): Promise<BuiltImage> {
  const started = Date.now();
  const base = await withMachineLock("base", () => ensureBaseImage(docker, log));
  const recipe: Recipe = RECIPE_LIST[name];
  const tag = `hearth-testbed/${name}:${recipeHash(recipe, base)}`;
  let cleanUp = () => {};
  try {
    return await withMachineLock(name, async () => {
      if (await imageExists(docker, tag)) return { name, tag, built: false, seconds: (Date.now() - started) / 1000 };
      log(`${name}: building ${tag}`);
      const dir = context(recipe);
      cleanUp = () => rmSync(dir, { recursive: true, force: true });
      const stream = await docker.buildImage(
        { context: dir, src: files(dir) },
        { t: tag, buildargs: { BASE: base, ...recipe.buildArgs }, labels: { "hearth.testbed": name }, rm: true, forcerm: true },
      );
      await followDockerProgress(docker, stream, `building ${tag}`);
      const seconds = (Date.now() - started) / 1000;
      log(`${name}: built ${tag} in ${seconds.toFixed(0)} s`);
      return { name, tag, built: true, seconds };
    });
  } finally {
    cleanUp();
  }
}

/** The images, built where missing, one after another (builds are CPU- and disk-bound). */
export async function ensureImages(docker: Docker, names: readonly ImageName[] = DEFAULT_IMAGES, log?: (line: string) => void) {
  const result = {} as Record<ImageName, BuiltImage>;
  for (const name of names) result[name] = await ensureImage(docker, name, log);
  return result;
}

