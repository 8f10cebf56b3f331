// Issue 11, problem 4: a person on another host name of the panel than NEXTAUTH_URL's signed in
// there and came back from Checkout signed out. Pages now move to the one public address.
import { describe, expect, it } from "vitest";
import { canonicalLocation, canonicalRedirect } from "./canonical-host";

const PUBLIC = "http://127.0.0.1:3000";
const get = (url: string, host = new URL(url).host) => ({ method: "GET", url, host });

describe("canonicalRedirect", () => {
  it("sends pages on another name of the panel to the public address, path and query kept", () => {
    expect(canonicalRedirect(get("http://localhost:3000/c/town/contribute/thanks?session_id=cs_1"), PUBLIC)).toBe(
      "http://127.0.0.1:3000/c/town/contribute/thanks?session_id=cs_1",
    );
    expect(canonicalRedirect(get("http://LOCALHOST:3000/"), "https://hearth.example.org")).toBe("https://hearth.example.org/");
  });

  it("serves requests already on the public address, and never moves webhooks, APIs, build files or forms", () => {
    expect(canonicalRedirect(get("http://127.0.0.1:3000/sign-in"), PUBLIC)).toBeNull();
    expect(canonicalRedirect(get("http://localhost:3000/api/stripe/webhook"), PUBLIC)).toBeNull();
    expect(canonicalRedirect(get("http://localhost:3000/api/health"), PUBLIC)).toBeNull();
    expect(canonicalRedirect(get("http://localhost:3000/_next/static/x.js"), PUBLIC)).toBeNull();
    expect(canonicalRedirect({ method: "POST", url: "http://localhost:3000/sign-in", host: "localhost:3000" }, PUBLIC)).toBeNull();
    expect(canonicalRedirect(get("http://localhost:3000/"), undefined)).toBeNull();
  });

  it("decides by the Host the browser sent", () => {
    expect(canonicalRedirect({ method: "GET", url: "http://127.0.0.1:3000/", host: "localhost:3000" }, PUBLIC)).toBe("http://127.0.0.1:3000/");
  });
});

describe("canonicalLocation", () => {
  it("puts a path on the public address, and nothing else anywhere", () => {
    expect(canonicalLocation("/c/town?x=1", PUBLIC)).toBe("http://127.0.0.1:3000/c/town?x=1");
    for (const bad of [null, "", "c/town", "//evil.example/x", "/\\evil.example", "https://evil.example/"]) {
      expect(canonicalLocation(bad, PUBLIC), String(bad)).toBeNull();
    }
  });
});
