// A lock shared by every process on this machine (parallel test runs, a CI run beside a
// developer's): a folder created atomically, holding the owner's pid. A lock whose owner is
// gone is taken over, so a build killed half way does not block the next run.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";

const ROOT = join(tmpdir(), "hearth-testbed-locks");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function tryTake(dir: string): boolean {
  try {
    mkdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const owner = Number.parseInt(readFileSync(join(dir, "pid"), { encoding: "utf8", flag: "a+" }), 10);
    if (Number.isInteger(owner) && alive(owner)) return false;
    rmSync(dir, { recursive: true, force: true }); // its owner died: take it over on the next try
    return false;
  }
  writeFileSync(join(dir, "pid"), String(process.pid));
  return true;
}

export async function withMachineLock<T>(name: string, work: () => Promise<T>): Promise<T> {
  mkdirSync(ROOT, { recursive: true });
  const dir = join(ROOT, `${name}.lock`);
  // Another process builds the same image: poll until it is done (builds take minutes).
  while (!tryTake(dir)) await delay(500);
  try {
    return await work();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
