import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { limitBody, readBodyLimited, refuseBody } from "./body-limit";

/** A body that arrives in chunks without a Content-Length, counting what was pulled. */
function chunked(chunks: number, size: number) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= chunks) return controller.close();
      pulled += 1;
      controller.enqueue(new Uint8Array(size).fill(97));
    },
  });
  return { stream, pulled: () => pulled };
}

describe("body limits", () => {
  it("refuses by Content-Length before reading anything", async () => {
    const source = chunked(100, 1024);
    const request = new Request("http://hearth.test/x", { method: "POST", body: source.stream, headers: { "content-length": String(100 * 1024) }, duplex: "half" } as RequestInit);
    expect(await readBodyLimited(request, 16 * 1024)).toBeNull();
    expect(source.pulled()).toBeLessThanOrEqual(1);
  });

  it("stops reading a chunked body as soon as it passes the limit", async () => {
    const source = chunked(10_000, 1024); // 10 MB if read to the end
    const request = new Request("http://hearth.test/x", { method: "POST", body: source.stream, duplex: "half" } as RequestInit);
    expect(await readBodyLimited(request, 16 * 1024)).toBeNull();
    expect(source.pulled()).toBeLessThan(30);
  });

  it("passes a small body on whole, as a request next-auth can read", async () => {
    const request = new NextRequest("http://hearth.test/api/auth/callback/credentials", {
      method: "POST",
      body: "email=a%40b.test&password=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    const limited = await limitBody(request, 1024);
    if (limited instanceof Response) throw new Error("refused a small body");
    expect(Object.fromEntries(await limited.formData())).toEqual({ email: "a@b.test", password: "x" });
    const big = await limitBody(new NextRequest("http://hearth.test/x", { method: "POST", body: "a".repeat(2048) }), 1024);
    expect(big).toBeInstanceOf(Response);
    expect((big as Response).status).toBe(413);
  });

  it("refuses a body on handlers that take none", () => {
    expect(refuseBody(new Request("http://hearth.test/api/health"))).toBeNull();
    expect(refuseBody(new Request("http://hearth.test/api/health", { headers: { "content-length": "5" } }))?.status).toBe(413);
    expect(refuseBody(new Request("http://hearth.test/api/health", { headers: { "transfer-encoding": "chunked" } }))?.status).toBe(413);
  });
});
