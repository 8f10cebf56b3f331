// A form post from another site with the person's cookies is refused with 403 by the proxy
// (before, Next.js's own refusal of the server action answered 500).
import { describe, expect, it } from "vitest";
import { crossSitePost } from "./cross-site-post";

const PUBLIC = "http://127.0.0.1:3000";
const post = (origin: string | null, host = "127.0.0.1:3000", forwardedHost: string | null = null) => ({ method: "POST", origin, host, forwardedHost });

describe("crossSitePost", () => {
  it("refuses a post whose Origin is another site, null or not a URL", () => {
    expect(crossSitePost(post("https://evil.example"), PUBLIC)).toBe(true);
    expect(crossSitePost(post("http://127.0.0.1:3001"), PUBLIC)).toBe(true);
    expect(crossSitePost(post("null"), PUBLIC)).toBe(true);
    expect(crossSitePost(post("not a url"), PUBLIC)).toBe(true);
  });

  it("lets through posts from the host asked for, the forwarded host or the public address", () => {
    expect(crossSitePost(post("http://127.0.0.1:3000"), PUBLIC)).toBe(false);
    expect(crossSitePost(post("http://LOCALHOST:3000", "localhost:3000"), PUBLIC)).toBe(false);
    expect(crossSitePost(post("https://hearth.example.org", "127.0.0.1:3000", "hearth.example.org, proxy.internal"), PUBLIC)).toBe(false);
    expect(crossSitePost(post("https://hearth.example.org", "10.0.0.5:3000"), "https://hearth.example.org")).toBe(false);
  });

  it("leaves posts without Origin and other methods to Next.js", () => {
    expect(crossSitePost(post(null), PUBLIC)).toBe(false);
    expect(crossSitePost({ method: "GET", origin: "https://evil.example", host: "127.0.0.1:3000", forwardedHost: null }, PUBLIC)).toBe(false);
  });
});
