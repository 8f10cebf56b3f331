// The resumable (tus) upload of a move-in archive, through the route's own handlers: only the
// owner, within the plan's disk, one upload at a time per community, the verdict (accepted, or the refusal's sentence) as the last
// PATCH's answer. What the acceptance checks is tested in src/server/exports/move-in.test.ts.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/server/db/client";
import { findExport } from "@/server/exports/exports-dir";
import { uploadsDir } from "@/server/exports/move-in-upload";
import { mastodonArchive } from "@/server/exports/testing/move-in-archives";
import { imagesForNewInstance, versionOf } from "@/server/settings";
import { actAs } from "@/server/testing/current-actor-mock";
import { makeCommunity, makeUser } from "@/server/testing/fixtures";
import { DELETE, HEAD, PATCH, POST } from "./route";

vi.mock("@/server/auth/current-actor", () => import("@/server/testing/current-actor-mock"));
process.env.HEARTH_EXPORTS_DIR ??= mkdtempSync(join(tmpdir(), "hearth-move-in-route-"));

let version = "";
beforeAll(async () => {
  version = versionOf(await imagesForNewInstance("MASTODON")) ?? "";
});

async function movingIn() {
  const owner = await makeUser();
  const community = await makeCommunity(owner, { start: "move-in", software: "MASTODON" });
  return { owner, community };
}

function tus(method: string, path: string, headers: Record<string, string>, body?: Buffer): Request {
  return new Request(`http://hearth.test${path}`, {
    method,
    headers: { "tus-resumable": "1.0.0", ...headers },
    ...(body ? { body: new Uint8Array(body), duplex: "half" } : {}),
  } as RequestInit);
}

const meta = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString("base64")}`)
    .join(",");

describe("the upload route (tus)", () => {
  it("the owner uploads in two chunks, resumes after asking where it stood, and the last chunk's answer is the verdict", async () => {
    const { owner, community } = await movingIn();
    const archive = await mastodonArchive({ domain: community.domain!, version });
    actAs(owner);
    const created = await POST(tus("POST", "/api/move-in/uploads", { "upload-length": String(archive.length), "upload-metadata": meta({ community: community.slug }) }));
    expect(created.status).toBe(201);
    const location = created.headers.get("location")!;
    expect(location).toMatch(new RegExp(`^/api/move-in/uploads/${community.id}-[0-9a-f]{32}$`));
    const half = Math.floor(archive.length / 2);
    const first = await PATCH(tus("PATCH", location, { "upload-offset": "0", "content-type": "application/offset+octet-stream" }, archive.subarray(0, half)));
    expect(first.status).toBe(204);
    // A dropped connection: the client asks where the upload stands, and goes on from there.
    const head = await HEAD(tus("HEAD", location, {}));
    expect(head.headers.get("upload-offset")).toBe(String(half));
    const last = await PATCH(tus("PATCH", location, { "upload-offset": String(half), "content-type": "application/offset+octet-stream" }, archive.subarray(half)));
    expect(last.status).toBe(204);
    const name = last.headers.get("hearth-move-in-archive")!;
    expect(await findExport(community.id, name)).toMatchObject({ size: archive.length });
    expect(readFileSync((await findExport(community.id, name))!.path).equals(archive)).toBe(true);
    // Nothing of the upload is left in the upload folder.
    expect(readdirSync(uploadsDir()).filter((n) => n.startsWith(community.id))).toEqual([]);
  });

  it("a community has one upload at a time: a new one removes the unfinished one, data and all", async () => {
    const { owner, community } = await movingIn();
    const archive = await mastodonArchive({ domain: community.domain!, version });
    actAs(owner);
    const start = () => POST(tus("POST", "/api/move-in/uploads", { "upload-length": String(archive.length), "upload-metadata": meta({ community: community.slug }) }));
    const first = (await start()).headers.get("location")!;
    const half = Math.floor(archive.length / 2);
    expect((await PATCH(tus("PATCH", first, { "upload-offset": "0", "content-type": "application/offset+octet-stream" }, archive.subarray(0, half)))).status).toBe(204);
    const files = () => readdirSync(uploadsDir()).filter((n) => n.startsWith(community.id)).sort();
    const firstId = first.split("/").pop()!;
    expect(files()).toEqual([firstId, `${firstId}.json`]);

    const second = (await start()).headers.get("location")!;
    const secondId = second.split("/").pop()!;
    expect(files()).toEqual([secondId, `${secondId}.json`]);
    expect((await HEAD(tus("HEAD", first, {}))).status).toBe(404);
    expect((await PATCH(tus("PATCH", second, { "upload-offset": "0", "content-type": "application/offset+octet-stream" }, archive))).status).toBe(204);
    expect(files()).toEqual([]);
  });

  it("a refused archive is a 422 whose body is the sentence for the field", async () => {
    const { owner, community } = await movingIn();
    const archive = await mastodonArchive({ domain: "other.example.org", version });
    actAs(owner);
    const created = await POST(tus("POST", "/api/move-in/uploads", { "upload-length": String(archive.length), "upload-metadata": meta({ community: community.slug }) }));
    const location = created.headers.get("location")!;
    const last = await PATCH(tus("PATCH", location, { "upload-offset": "0", "content-type": "application/offset+octet-stream" }, archive));
    expect(last.status).toBe(422);
    expect(await last.text()).toMatch(/^This archive is of other\.example\.org, but this community's domain is /);
    expect(readdirSync(uploadsDir()).filter((n) => n.startsWith(community.id))).toEqual([]);
  });

  it("strangers, members and signed-out people get 404, for new uploads and for someone else's; sizes over the plan's disk get 413", async () => {
    const { owner, community } = await movingIn();
    const archive = await mastodonArchive({ domain: community.domain!, version });
    const create = () => tus("POST", "/api/move-in/uploads", { "upload-length": String(archive.length), "upload-metadata": meta({ community: community.slug }) });
    actAs(null);
    expect((await POST(create())).status).toBe(404);
    actAs(await makeUser());
    expect((await POST(create())).status).toBe(404);

    actAs(owner);
    const location = (await POST(create())).headers.get("location")!;
    actAs(await makeUser());
    expect((await PATCH(tus("PATCH", location, { "upload-offset": "0", "content-type": "application/offset+octet-stream" }, archive))).status).toBe(404);
    expect((await HEAD(tus("HEAD", location, {}))).status).toBe(404);
    expect((await DELETE(tus("DELETE", location, {}))).status).toBe(404);
    actAs(owner);
    expect((await HEAD(tus("HEAD", location, {}))).headers.get("upload-offset")).toBe("0");

    const plan = await db.plan.findUniqueOrThrow({ where: { id: community.planId } });
    const tooBig = tus("POST", "/api/move-in/uploads", { "upload-length": String(plan.diskGb * 1024 ** 3 + 1), "upload-metadata": meta({ community: community.slug }) });
    expect((await POST(tooBig)).status).toBe(413);
    // A community that does not move in takes no upload: said, not hidden (the owner asked).
    const plain = await makeCommunity(owner);
    const refused = await POST(tus("POST", "/api/move-in/uploads", { "upload-length": "10", "upload-metadata": meta({ community: plain.slug }) }));
    expect(refused.status).toBe(422);
    expect(await refused.text()).toBe("This community did not choose to move in from an export.");
  });
});
