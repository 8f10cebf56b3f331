import { describe, expect, it } from "vitest";
import { clientFromChain } from "./forwarded-chain.mjs";

describe("clientFromChain", () => {
  it("without trusted proxies, is the socket's address whatever the header says", () => {
    expect(clientFromChain("203.0.113.9", "127.0.0.1", 0)).toBe("127.0.0.1");
    expect(clientFromChain(["1.1.1.1", "2.2.2.2"], "::ffff:10.0.0.5", 0)).toBe("::ffff:10.0.0.5");
    expect(clientFromChain(undefined, "2001:db8::1", 0)).toBe("2001:db8::1");
  });

  it("with N trusted proxies, takes the entry N places left of the socket and ignores what the client put further left", () => {
    // client 198.51.100.7 forged "6.6.6.6"; proxy A saw the client, proxy B saw A; the socket is B.
    expect(clientFromChain("6.6.6.6, 198.51.100.7", "10.0.0.2", 1)).toBe("198.51.100.7");
    expect(clientFromChain("6.6.6.6, 198.51.100.7, 10.0.0.1", "10.0.0.2", 2)).toBe("198.51.100.7");
  });

  it("with fewer hops than trusted proxies (someone bypassed them), falls back to the leftmost it has", () => {
    expect(clientFromChain(undefined, "192.0.2.4", 1)).toBe("192.0.2.4");
  });

  it("answers unknown for garbage and strips ports and brackets", () => {
    expect(clientFromChain("not-an-ip", "10.0.0.2", 1)).toBe("unknown");
    expect(clientFromChain("[2001:db8::5]:443", "10.0.0.2", 1)).toBe("2001:db8::5");
    expect(clientFromChain("192.0.2.1:5555", "10.0.0.2", 1)).toBe("192.0.2.1");
    expect(clientFromChain(undefined, undefined, 0)).toBe("unknown");
  });
});
