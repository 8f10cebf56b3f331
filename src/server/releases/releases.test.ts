// The release check: versions compared as the projects write them, the security state of each
// offered version from the maintained list, and the registry's tag list through the Registry
// API's anonymous token flow (a registry on 127.0.0.1 here: none outside can be reached), or a
// plain statement that the registry could not be reached.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkReleases, securityPending } from "./check-releases";
import { compareVersions, newestStable, parseVersion } from "./compare-versions";
import { imageRepository, registryTags } from "./registry-tags";
import { securityStatus } from "./security-status";

describe("versions and security releases", () => {
  it("compares Mastodon's and Misskey's version tags, pre-releases below their release", () => {
    const v = (tag: string) => parseVersion(tag)!;
    expect(compareVersions(v("v4.7.2"), v("v4.7.10"))).toBeLessThan(0);
    expect(compareVersions(v("2026.5.4"), v("2025.12.2"))).toBeGreaterThan(0);
    expect(compareVersions(v("v4.8.0-beta.1"), v("v4.8.0"))).toBeLessThan(0);
    expect(parseVersion("latest")).toBeNull();
    expect(newestStable(["v4.6.8", "latest", "v4.8.0-rc.1", "v4.7.2", "edge", "v4.7.10"])).toBe("v4.7.10");
  });

  it("flags an offered version with a security release pending in its line, or a line no longer maintained", () => {
    expect(securityStatus("MASTODON", "v4.7.2").state).toBe("current");
    expect(securityStatus("MASTODON", "v4.6.3")).toMatchObject({ state: "pending", upgradeTo: "v4.6.8" });
    expect(securityStatus("MASTODON", "v4.5.11")).toMatchObject({ state: "pending", upgradeTo: "v4.5.18" });
    expect(securityStatus("MASTODON", "v4.3.9")).toMatchObject({ state: "unsupported", upgradeTo: "v4.7.2" });
    expect(securityStatus("MASTODON", "v4.8.0").state).toBe("current");
    expect(securityStatus("MISSKEY", "2025.12.0")).toMatchObject({ state: "pending", upgradeTo: "2026.5.4" });
    expect(securityStatus("SHARKEY", "2025.4.4")).toMatchObject({ state: "pending", upgradeTo: "2025.4.7" });
    expect(securityStatus("SHARKEY", "nightly").state).toBe("unknown");
    // A software with no entry in the list yet (the PDS): unknown, said plainly, never a crash.
    expect(securityStatus("BLUESKY_PDS", "0.4.200")).toMatchObject({ state: "unknown", message: expect.stringContaining("has none for this software") });
  });

  it("names the registry and repository of an image reference", () => {
    expect(imageRepository("ghcr.io/mastodon/mastodon:v4.7.2")).toMatchObject({ registry: "ghcr.io", repository: "mastodon/mastodon" });
    expect(imageRepository("misskey/misskey:2026.5.4")).toMatchObject({ registry: "docker.io", repository: "misskey/misskey", baseUrl: "https://registry-1.docker.io" });
    expect(imageRepository("redis:7-alpine")).toMatchObject({ registry: "docker.io", repository: "library/redis" });
    expect(imageRepository("127.0.0.1:5000/team/app:v1")).toMatchObject({ registry: "127.0.0.1:5000", repository: "team/app", baseUrl: "http://127.0.0.1:5000" });
  });
});

describe("asking a registry", () => {
  let server: Server;
  let host = "";
  const requests: string[] = [];
  beforeAll(async () => {
    // What ghcr.io and Docker Hub do: 401 with a Bearer challenge, an anonymous token, then the list.
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url} ${req.headers.authorization ?? "-"}`);
      if (req.url?.startsWith("/token?")) {
        const scope = new URL(req.url, "http://x").searchParams.get("scope");
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ token: scope === "repository:team/app:pull" ? "t0k3n" : "wrong" }));
      } else if (req.url === "/v2/team/app/tags/list?n=1000") {
        if (req.headers.authorization !== "Bearer t0k3n") {
          res.writeHead(401, { "www-authenticate": `Bearer realm="http://${host}/token",service="test-registry",scope="repository:team/app:pull"` });
          res.end();
        } else {
          res.setHeader("content-type", "application/json");
          res.end(JSON.stringify({ name: "team/app", tags: ["v4.6.8", "v4.7.2", "v4.7.3", "v4.8.0-beta.1", "latest"] }));
        }
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("reads the tags with an anonymous token and reports the newest stable version", async () => {
    const answer = await registryTags(`${host}/team/app:v4.7.2`);
    expect(answer).toEqual({ ok: true, registry: host, tags: ["v4.6.8", "v4.7.2", "v4.7.3", "v4.8.0-beta.1", "latest"] });
    expect(requests).toEqual([
      "GET /v2/team/app/tags/list?n=1000 -",
      "GET /token?service=test-registry&scope=repository%3Ateam%2Fapp%3Apull -",
      "GET /v2/team/app/tags/list?n=1000 Bearer t0k3n",
    ]);
    const check = await checkReleases([{ software: "MASTODON", image: `${host}/team/app:v4.7.2`, offered: ["v4.7.2", "v4.5.11"] }]);
    expect(check.software[0]).toMatchObject({
      pinned: "v4.7.2",
      registry: { reachable: true, newest: "v4.7.3", newerThanPinned: true },
      offered: [{ version: "v4.7.2", security: { state: "current" } }, { version: "v4.5.11", security: { state: "pending", upgradeTo: "v4.5.18" } }],
    });
    expect(securityPending(check)).toBe(true);
  });

  it("says plainly when a registry cannot be reached or has no such image, and makes nothing up", async () => {
    const missing = await registryTags(`${host}/team/other:v1`);
    expect(missing).toEqual({ ok: false, registry: host, reason: "it answered HTTP 404" });
    // A port nothing listens on any more.
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, "127.0.0.1", resolve));
    const port = (gone.address() as AddressInfo).port;
    await new Promise<void>((resolve) => gone.close(() => resolve()));
    const closed = await registryTags(`127.0.0.1:${port}/team/app:v1`);
    expect(closed).toMatchObject({ ok: false, reason: expect.stringMatching(/ECONNREFUSED/) });
    const check = await checkReleases([{ software: "SHARKEY", image: `127.0.0.1:${port}/team/app:2025.4.7`, offered: ["2025.4.7"] }]);
    expect(check.software[0]?.registry).toEqual({ reachable: false, reason: expect.stringMatching(/ECONNREFUSED/) });
    expect(securityPending(check)).toBe(false);
  });
});
