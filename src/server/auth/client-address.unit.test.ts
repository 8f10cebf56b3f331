import { describe, expect, it } from "vitest";
import { clientAddress, normaliseAddress } from "./client-address";

describe("client address", () => {
  it("uses the address Next.js or the one trusted proxy put last", () => {
    expect(clientAddress(new Headers({ "x-forwarded-for": "203.0.113.9" }), 0)).toBe("203.0.113.9");
    expect(clientAddress(new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" }), 1)).toBe("203.0.113.9");
  });

  it("skips what a client prepended when two proxies are trusted", () => {
    expect(clientAddress({ "x-forwarded-for": "6.6.6.6, 198.51.100.7, 10.0.0.2" }, 2)).toBe("198.51.100.7");
  });

  it("groups IPv6 clients by their /64 and unwraps IPv4-mapped addresses", () => {
    expect(normaliseAddress("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(normaliseAddress("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(normaliseAddress("::1")).toBe("0:0:0:0::/64");
    expect(normaliseAddress("::ffff:192.0.2.1")).toBe("192.0.2.1");
  });

  it("calls anything else unknown", () => {
    expect(clientAddress(new Headers(), 0)).toBe("unknown");
    expect(normaliseAddress("not-an-ip")).toBe("unknown");
    expect(normaliseAddress("<script>")).toBe("unknown");
  });
});
