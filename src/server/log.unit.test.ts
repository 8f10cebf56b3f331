// What reaches the log: one JSON line per call on the right stream, secrets masked at any depth,
// errors written out, child loggers carrying their fields.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { REDACTED, clean, isSecretName, log } from "./log";

let out: string[] = [];
let err: string[] = [];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (err.push(String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());

const lines = (chunks: string[]) => chunks.join("").split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);

describe("log", () => {
  it("writes info to stdout and warnings and errors to stderr, each once, as JSON with time, level and message", () => {
    log.info("started", { port: 3000 });
    log.warn("slow", { ms: 900 });
    log.error("failed", { step: "pull" });
    expect(lines(out)).toEqual([{ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), level: "info", message: "started", port: 3000 }]);
    expect(lines(err).map((line) => [line.level, line.message])).toEqual([
      ["warn", "slow"],
      ["error", "failed"],
    ]);
  });

  it("masks secret-named fields at any depth and in arrays, and keeps the rest", () => {
    log.info("config", {
      smtpPassword: "hunter2",
      stripe: { secretKey: "sk_live_1", mode: "live" },
      headers: [{ Authorization: "Bearer abc", "Set-Cookie": "s=1", accept: "text/html" }],
      api_key: "k",
      key: "k2",
      monkey: "banana",
      tokenHash: "h",
      keyboard: "qwerty",
    });
    const [line] = lines(out);
    expect(line).toMatchObject({
      smtpPassword: REDACTED,
      stripe: { secretKey: REDACTED, mode: "live" },
      headers: [{ Authorization: REDACTED, "Set-Cookie": REDACTED, accept: "text/html" }],
      api_key: REDACTED,
      key: REDACTED,
      monkey: "banana",
      tokenHash: REDACTED,
      keyboard: "qwerty",
    });
    expect(out.join("")).not.toMatch(/hunter2|sk_live_1|Bearer abc/);
  });

  it("writes an Error as its type, message, code, stack and cause, not {}", () => {
    const cause = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    log.error("pull failed", { error: new TypeError("bad image", { cause }) });
    const [line] = lines(err);
    expect(line?.error).toMatchObject({ type: "TypeError", message: "bad image", stack: expect.stringContaining("TypeError: bad image"), cause: { message: "connect ECONNREFUSED", code: "ECONNREFUSED" } });
  });

  it("a child logger adds its fields to every line, masked like the rest", () => {
    const run = log.child({ communityId: "c1", runId: "r1", token: "t" });
    run.info("step done", { step: "db" });
    expect(lines(out)).toEqual([expect.objectContaining({ communityId: "c1", runId: "r1", token: REDACTED, step: "db", message: "step done" })]);
  });
});

describe("clean", () => {
  it("survives cycles, bigints and buffers", () => {
    const a: Record<string, unknown> = { n: 10n, data: Buffer.from("secret bytes") };
    a.self = a;
    expect(clean(a)).toEqual({ n: "10", data: "[12 bytes]", self: "[circular]" });
  });

  it("names: words, not substrings", () => {
    for (const name of ["password", "newPassword", "STRIPE_SECRET_KEY", "x-api-key", "cookie", "credentials", "dsn"]) expect(isSecretName(name), name).toBe(true);
    for (const name of ["monkey", "keyboard", "tokenizer", "passed", "communityId", "message"]) expect(isSecretName(name), name).toBe(false);
  });
});
