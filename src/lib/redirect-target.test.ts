import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./redirect-target";

describe("safeRedirectPath", () => {
  it("keeps same-site paths with their query and fragment", () => {
    expect(safeRedirectPath("/dashboard/town?tab=1#x")).toBe("/dashboard/town?tab=1#x");
    expect(safeRedirectPath("/c/town/contribute")).toBe("/c/town/contribute");
    expect(safeRedirectPath("/a/../b")).toBe("/b");
  });

  it("sends everything that leaves the site, once normalised, to the fallback", () => {
    for (const value of [
      "/\t/evil.example/x", // the probe's finding: browsers drop the tab
      "/\n/evil.example",
      "/\r\n/evil.example",
      "//evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "/.//evil.example/",
      "/%2e//evil.example",
      "https://evil.example/",
      "javascript:alert(1)",
      "data:text/html,x",
      " //evil.example",
      "\u0000//evil.example",
    ]) {
      expect(safeRedirectPath(value, "/home"), JSON.stringify(value)).toBe("/home");
    }
  });

  it("refuses percent-encoded look-alikes too: a router that decodes the path would leave the site", () => {
    // Seen in Chromium: after the sign-in action, "/%09/evil.example/x" ended on evil.example.
    for (const value of ["/%09/evil.example/x", "/%2F%2Fevil.example", "/%2f%2fevil.example", "/%5Cevil.example", "/\u0000x", "/%E0%A4%A", "/a%0d%0aSet-Cookie:x"]) {
      expect(safeRedirectPath(value, "/home"), JSON.stringify(value)).toBe("/home");
    }
    expect(safeRedirectPath("/c/caf%C3%A9?q=%2F")).toBe("/c/caf%C3%A9?q=%2F");
    // Same scheme as the base: a relative path, whatever it looks like.
    expect(safeRedirectPath("http:evil.example")).toBe("/evil.example");
  });

  it("never throws, whatever comes in", () => {
    for (const value of [undefined, null, 42, ["/a"], {}, "", "%", "/" + "a".repeat(2000), "http://[::1", "\ud800"]) {
      expect(() => safeRedirectPath(value)).not.toThrow();
    }
    expect(safeRedirectPath(["/a"])).toBe("/dashboard");
    expect(safeRedirectPath("/" + "a".repeat(2000))).toBe("/dashboard");
  });

  it("accepts absolute URLs only on the given origin", () => {
    const origin = "https://panel.example.org";
    expect(safeRedirectPath("https://panel.example.org/admin?x=1", "/", origin)).toBe("/admin?x=1");
    expect(safeRedirectPath("https://panel.example.org.evil.example/", "/", origin)).toBe("/");
    expect(safeRedirectPath("http://panel.example.org/admin", "/", origin)).toBe("/");
    expect(safeRedirectPath("https://town.panel.example.org/", "/", origin)).toBe("/");
    expect(safeRedirectPath("/dashboard", "/", origin)).toBe("/dashboard");
  });
});
