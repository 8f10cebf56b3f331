// The CLI as a real process: starts from the environment, serves, stops on SIGTERM.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/stripe-emulator/main.ts"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

async function until<T>(read: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("timed out");
}

describe("stripe-emulator CLI", () => {
  it("listens on STRIPE_EMULATOR_PORT, answers API requests, and exits 0 on SIGTERM", async () => {
    const proc = run({ STRIPE_EMULATOR_PORT: "0", STRIPE_WEBHOOK_SECRET: "whsec_cli", STRIPE_WEBHOOK_URL: "" });
    const url = await until(() => /listening on (http:\/\/\S+)/.exec(proc.output().stdout)?.[1]);
    const health = await fetch(`${url}/_emulator/health`);
    expect(await health.json()).toEqual({ ok: true });
    const customer = await fetch(`${url}/v1/customers`, {
      method: "POST",
      headers: { authorization: "Bearer sk_test_cli", "content-type": "application/x-www-form-urlencoded" },
      body: "email=cli%40example.org",
    });
    expect(customer.status).toBe(200);
    proc.child.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
    expect(proc.output().stdout).toContain("stopping (SIGTERM)");
  });

  it("refuses to start without a webhook secret and says which variable is missing", async () => {
    const proc = run({ STRIPE_EMULATOR_PORT: "0", STRIPE_WEBHOOK_SECRET: "" });
    expect(await proc.exited).toBe(2);
    expect(proc.output().stderr).toContain("STRIPE_WEBHOOK_SECRET");
  });
});
