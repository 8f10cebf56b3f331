// Every route handler bounds its request body (issue 12: "every route handler has a limit"):
// it calls one of body-limit.ts's functions. A new handler without one fails here.
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const APP = join(process.cwd(), "src/app");
const LIMITS = /\b(refuseBody|limitBody|limitBodyStream|readBodyLimited)\(/;
// Handlers that hand the request to a domain function which reads it within a limit.
const DELEGATED: Record<string, string> = {
  "src/app/api/stripe/webhook/route.ts": "src/server/billing/handle-webhook.ts",
  "src/app/api/move-in/uploads/[[...id]]/route.ts": "src/server/exports/move-in-upload.ts",
};
const bounded = (file: string) => LIMITS.test(readFileSync(join(process.cwd(), file), "utf8"));

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(path);
    return /^route\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe("route handlers", () => {
  it("are found (the walk itself works)", () => {
    expect(routeFiles(APP).length).toBeGreaterThan(5);
  });

  it("each bound the request body with body-limit.ts", () => {
    const unbounded = routeFiles(APP)
      .map((file) => relative(process.cwd(), file))
      .filter((file) => !bounded(DELEGATED[file] ?? file));
    expect(unbounded).toEqual([]);
  });
});
