// Whether .next holds a production build of the code as it is now. `npm start` and `npm test`
// serve the production build; one made before the last pull or edit would show old pages, so
// a build older than any file it is made from is made again.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const INPUTS = ["src", "public", "next.config.mjs", "tsconfig.json", "package-lock.json", "prisma/schema.prisma"];
// Tests are not part of the build: changing one does not make it stale.
const NOT_BUILT = /\.test\.tsx?$/;

function newestChange(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return NOT_BUILT.test(path) ? 0 : stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

/** The reason the build must be made (again), or null when it is current. */
export function buildOutdated(): string | null {
  const marker = ".next/BUILD_ID";
  if (!existsSync(marker)) return "no production build yet";
  const builtAt = statSync(marker).mtimeMs;
  return INPUTS.some((input) => newestChange(input) > builtAt) ? "the production build is older than the code" : null;
}

/** Makes the production build when it is missing or older than the code; false when `next build` failed. */
export function ensureBuild(): boolean {
  const outdated = buildOutdated();
  if (!outdated) return true;
  console.log(`${outdated}: running next build`);
  // A production build whatever the caller runs under (vitest sets NODE_ENV=test).
  return spawnSync("node_modules/.bin/next", ["build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } }).status === 0;
}
