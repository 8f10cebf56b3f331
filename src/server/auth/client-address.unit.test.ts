import { afterEach, describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER, clientAddress, clientIp, normaliseAddress } from "./client-address";

afterEach(() => {
  process.env.HEARTH_CLIENT_ADDRESS_HEADER = "1"; // as vitest.config sets it
});

describe("client address", () => {
  it("is what the web server established from the socket; a forged X-Forwarded-For decides nothing", () => {
    const forged = new Headers({ "x-forwarded-for": "203.0.113.9", [CLIENT_ADDRESS_HEADER]: "127.0.0.1" });
    expect(clientAddress(forged)).toBe("127.0.0.1");
    expect(clientIp(forged)).toBe("127.0.0.1");
    expect(clientAddress(new Headers({ "x-forwarded-for": "203.0.113.9" }))).toBe("unknown");
  });

  it("is unknown outside the web server's process, where a client could send the header itself", () => {
    process.env.HEARTH_CLIENT_ADDRESS_HEADER = "";
    expect(clientAddress({ [CLIENT_ADDRESS_HEADER]: "192.0.2.1", "x-forwarded-for": "192.0.2.1" })).toBe("unknown");
  });

  it("groups IPv6 clients by their /64 and unwraps IPv4-mapped addresses", () => {
    expect(normaliseAddress("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(normaliseAddress("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(normaliseAddress("::1")).toBe("0:0:0:0::/64");
    expect(normaliseAddress("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(clientAddress({ [CLIENT_ADDRESS_HEADER]: "2001:db8:1:2::9" })).toBe("2001:db8:1:2::/64");
  });

  it("calls anything else unknown", () => {
    expect(clientAddress(new Headers())).toBe("unknown");
    expect(clientAddress({ [CLIENT_ADDRESS_HEADER]: "<script>" })).toBe("unknown");
    expect(normaliseAddress("not-an-ip")).toBe("unknown");
  });
});
