import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("applies the documented defaults to an empty environment", () => {
    const config = parseEnv({});
    expect(config.PORT).toBe(3000);
    expect(config.HOSTNAME).toBe("127.0.0.1");
    expect(config.HEARTH_DATA_DIR).toBe(".hearth");
    expect(config.HEARTH_BASE_DOMAIN).toBe("hearth.localhost");
    expect(config.HEARTH_ADMIN_EMAILS).toEqual([]);
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it("names every problem in one message", () => {
    let error: unknown;
    try {
      parseEnv({ PORT: "abc", DATABASE_URL: "mysql://x", HEARTH_BASE_DOMAIN: "no spaces.org", NODE_ENV: "staging" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems).toHaveLength(4);
    for (const key of ["PORT", "DATABASE_URL", "HEARTH_BASE_DOMAIN", "NODE_ENV"]) expect(message).toContain(key);
  });

  it("never echoes a secret's value in the message", () => {
    const secret = "short-but-secret";
    expect(() => parseEnv({ NEXTAUTH_SECRET: secret })).toThrow(ConfigError);
    let error: unknown;
    try {
      parseEnv({ NEXTAUTH_SECRET: secret, HEARTH_SECRET_KEY: "c2VjcmV0" });
    } catch (e) {
      error = e;
    }
    // Asserted outside the catch: a parse that stopped throwing fails here.
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).not.toContain(secret);
    expect((error as ConfigError).message).not.toContain("c2VjcmV0");
    expect((error as ConfigError).problems).toHaveLength(2);
  });

  it("rejects ports out of range and parses admin emails", () => {
    expect(() => parseEnv({ PORT: "70000" })).toThrow(/PORT: must be between 1 and 65535/);
    expect(parseEnv({ HEARTH_ADMIN_EMAILS: " A@x.org, b@y.org ," }).HEARTH_ADMIN_EMAILS).toEqual(["a@x.org", "b@y.org"]);
    expect(() => parseEnv({ HEARTH_ADMIN_EMAILS: "a@x.org, nope" })).toThrow(/HEARTH_ADMIN_EMAILS/);
  });

  it("reads the ingress's addresses (IPv4 and IPv6, written one way) and names a bad one", () => {
    expect(parseEnv({}).HEARTH_INGRESS_ADDRESSES).toBeUndefined();
    expect(parseEnv({ HEARTH_INGRESS_ADDRESSES: " 203.0.113.5, 2001:0DB8:0:0::5 " }).HEARTH_INGRESS_ADDRESSES).toEqual(["203.0.113.5", "2001:db8::5"]);
    expect(() => parseEnv({ HEARTH_INGRESS_ADDRESSES: "203.0.113.5,host.example.org" })).toThrow(
      /HEARTH_INGRESS_ADDRESSES\.1: must be comma-separated IP addresses of this host, e\.g\. 203\.0\.113\.5,2001:db8::5/,
    );
    expect(() => parseEnv({ HEARTH_INGRESS_ADDRESSES: "0.0.0.0" })).toThrow(/HEARTH_INGRESS_ADDRESSES\.0: is the unspecified address/);
    expect(() => parseEnv({ HEARTH_INGRESS_ADDRESSES: " , " })).toThrow(/HEARTH_INGRESS_ADDRESSES: names no address/);
  });
});
