// The run command's answers to a bad start: each fault gets one clear message, and a
// missing Docker engine does not keep the panel from serving.
import { spawn } from "node:child_process";
import { request } from "node:http";
import { createServer, type Server } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuild } from "./build-state";

type Run = { code: Promise<number | null>; output: () => string; stop: () => void; kill: () => void };

function startRun(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/run.ts"], {
    env: { ...process.env, HEARTH_DATA_DIR: mkdtempSync(join(tmpdir(), "hearth-run-test-")), ...env },
    detached: true, // its own process group, so a test can SIGKILL the whole run at once
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (c) => (output += c));
  child.stderr.on("data", (c) => (output += c));
  return {
    code: new Promise((resolve) => child.on("exit", resolve)),
    output: () => output,
    stop: () => child.kill("SIGTERM"),
    kill: () => process.kill(-child.pid!, "SIGKILL"),
  };
}

function listen(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({ server, port: typeof address === "object" && address ? address.port : 0 });
    });
  });
}

// Two of these serve the production build: make it when it is missing or older than the code
// (`npm test` has made it already, so this is a no-op there).
beforeAll(() => {
  expect(ensureBuild(), "next build failed").toBe(true);
}, 20 * 60_000);

describe("run command", () => {
  it("stops on an invalid configuration, naming every bad variable", async () => {
    const run = startRun({ PORT: "http", HEARTH_BASE_DOMAIN: "not a domain" });
    expect(await run.code).toBe(1);
    expect(run.output()).toContain("invalid configuration");
    expect(run.output()).toContain("PORT");
    expect(run.output()).toContain("HEARTH_BASE_DOMAIN");
  });

  it("says so when DATABASE_URL points at no server", async () => {
    const { server, port } = await listen(); // a port we own, then free it: nothing listens there
    await new Promise((r) => server.close(r));
    const run = startRun({ DATABASE_URL: `postgresql://hearth:x@127.0.0.1:${port}/hearth`, PORT: String(port) });
    expect(await run.code).toBe(1);
    expect(run.output()).toContain(`cannot reach the database at 127.0.0.1:${port}/hearth (ECONNREFUSED)`);
    expect(run.output()).not.toContain("hearth:x@");
  });

  it("says so when the port is taken", async () => {
    const { server, port } = await listen();
    try {
      const run = startRun({ PORT: String(port) });
      expect(await run.code).toBe(1);
      expect(run.output()).toContain(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      server.close();
    }
  });

  it("serves without a Docker engine, and /api/health reports it", async () => {
    const { server, port } = await listen();
    await new Promise((r) => server.close(r));
    const run = startRun({
      DATABASE_URL: process.env.DATABASE_URL ?? "",
      PORT: String(port),
      DOCKER_HOST: "unix:///nonexistent/docker.sock",
      WORKER_HEARTBEAT_SECONDS: "1",
    });
    try {
      // Anonymous visitors learn only up or down (the details are for host admins).
      let health: { status: string } | undefined;
      for (let i = 0; i < 240 && !health; i++) {
        await new Promise((r) => setTimeout(r, 500));
        health = await fetch(`http://127.0.0.1:${port}/api/health`)
          .then(async (res) => (res.status === 503 ? res.json() : undefined))
          .catch(() => undefined);
      }
      expect(health).toEqual({ status: "degraded" });
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
    } finally {
      run.stop();
      expect(await run.code).toBe(0);
    }
  }, 180_000);
});

describe("run command on the embedded database", () => {
  it("starts again after being killed mid-start, reusing the data", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "hearth-run-kill-"));
    const { server, port } = await listen();
    const { server: dbServer, port: dbPort } = await listen();
    await new Promise((r) => server.close(r));
    await new Promise((r) => dbServer.close(r));
    // No NEXTAUTH_URL: the address the run command prints is the one sign-in uses.
    const env = { DATABASE_URL: "", HEARTH_DATA_DIR: dataDir, HEARTH_DB_PORT: String(dbPort), PORT: String(port), NEXTAUTH_URL: "" };

    const first = startRun(env);
    for (let i = 0; i < 600 && !first.output().includes("applying database migrations"); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(first.output()).toContain("applying database migrations");
    first.kill(); // the run command, and everything in its process group, dies at once

    const second = startRun(env);
    try {
      for (let i = 0; i < 900 && !second.output().includes("Hearth is running"); i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(second.output()).toContain(`Hearth is running at http://127.0.0.1:${port}`);
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(["ok", "degraded"]).toContain((await response.json()).status);
      // Issue 11, problem 4: the sign-in address defaulted to localhost while this printed
      // 127.0.0.1. Now a page asked for on another name of the panel moves to the printed one.
      const moved = await new Promise<{ status?: number; location?: string }>((resolve, reject) => {
        request({ host: "127.0.0.1", port, path: "/sign-in?callbackUrl=%2Fstart", headers: { host: `localhost:${port}` } }, (res) => {
          res.resume();
          resolve({ status: res.statusCode, location: res.headers.location });
        })
          .on("error", reject)
          .end();
      });
      expect(moved.status).toBe(308);
      const location = new URL(moved.location ?? "");
      expect([location.origin, location.pathname, location.searchParams.get("callbackUrl")]).toEqual([`http://127.0.0.1:${port}`, "/sign-in", "/start"]);
      expect((await fetch(`http://127.0.0.1:${port}/sign-in`, { redirect: "manual" })).status).toBe(200);
    } finally {
      second.stop();
      expect(await second.code).toBe(0);
    }
  }, 180_000);
});
