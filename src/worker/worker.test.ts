// The worker as a real process against the test database: it heartbeats, and SIGTERM
// stops it cleanly with its row marked stopped.
import { spawn } from "node:child_process";
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
