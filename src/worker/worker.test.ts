// The worker as a real process against the test database: it heartbeats, runs its Stripe
// events on a thread of lower priority, and SIGTERM stops it cleanly with its row marked
// stopped.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";

async function until<T>(read: () => Promise<T | null | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await read();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("timed out");
}

afterAll(async () => {
  // The worker checks the configured images at start; its verdict is about this test's
  // environment, not the communities other test files create.
  await db.setting.deleteMany({ where: { key: "images.availability" } });
  await db.$disconnect();
});

describe("worker process", () => {
  it("heartbeats while running and marks itself stopped on SIGTERM", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "src/worker/main.ts"], {
      env: { ...process.env, WORKER_HEARTBEAT_SECONDS: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c) => (output += c));
    child.stderr.on("data", (c) => (output += c));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));

    // The log is JSON lines (src/server/log.ts): the start line carries the worker's id.
    const startedLine = () =>
      output
        .split("\n")
        .filter((line) => line.startsWith("{") && line.endsWith("}")) // whole lines only
        .map((line) => JSON.parse(line) as { message?: string; id?: string })
        .find((line) => line.message === "worker started");
    const id = await until(async () => startedLine()?.id);
    const first = await db.workerHeartbeat.findUniqueOrThrow({ where: { id } });
    expect(first.stoppedAt).toBeNull();
    const later = await until(() =>
      db.workerHeartbeat.findFirst({ where: { id: first.id, lastBeatAt: { gt: first.lastBeatAt } } }),
    );
    expect(later.lastBeatAt.getTime()).toBeGreaterThan(first.lastBeatAt.getTime());

    // Stripe events on a thread of their own at niceness 10 (the default), the main thread at 0
    // (/proc/<pid>/task/<thread>/stat: the name in parentheses, the niceness 17 fields after it).
    const threads = () =>
      readdirSync(`/proc/${child.pid}/task`).map((tid) => {
        const stat = readFileSync(`/proc/${child.pid}/task/${tid}/stat`, "utf8");
        return { name: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")), nice: Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]) };
      });
    // (It lowers itself once its modules are loaded.)
    const events = await until(async () => threads().find((t) => t.name === "stripe-events" && t.nice !== 0));
    expect(events.nice).toBe(10);
    expect(threads().find((t) => t.name === "node" || t.name === "MainThread")?.nice).toBe(0);
    // V8's helper threads work for it under a burst: at its niceness too.
    const helpers = await until(async () => {
      const found = threads().filter((t) => t.name.startsWith("V8Worker"));
      return found.length > 0 && found.every((t) => t.nice !== 0) ? found : undefined;
    });
    expect(helpers.map((t) => t.nice)).toEqual(helpers.map(() => 10));

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const stopped = await db.workerHeartbeat.findUniqueOrThrow({ where: { id: first.id } });
    expect(stopped.stoppedAt).not.toBeNull();
    expect(output).toContain("worker stopped");
  });

  it("refuses to start with a bad configuration and says what is wrong", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "src/worker/main.ts"], {
      env: { ...process.env, WORKER_HEARTBEAT_SECONDS: "0", PORT: "x" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (c) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toContain("WORKER_HEARTBEAT_SECONDS");
    expect(stderr).toContain("PORT");
  });
});
