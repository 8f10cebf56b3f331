import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "./env";

describe("account and community settings in the environment", () => {
  it("enables all software by default and parses a list in any case", () => {
    expect(parseEnv({}).HEARTH_ENABLED_SOFTWARE).toEqual(["MASTODON", "MISSKEY", "SHARKEY", "BLUESKY_PDS"]);
    expect(parseEnv({ HEARTH_ENABLED_SOFTWARE: " mastodon ,Sharkey" }).HEARTH_ENABLED_SOFTWARE).toEqual(["MASTODON", "SHARKEY"]);
    expect(() => parseEnv({ HEARTH_ENABLED_SOFTWARE: "mastodon,pleroma" })).toThrow(/HEARTH_ENABLED_SOFTWARE/);
    expect(() => parseEnv({ HEARTH_ENABLED_SOFTWARE: " , " })).toThrow(/at least one/);
  });

  it("wants an OAuth provider's id and secret together, and never shows the secret", () => {
    expect(parseEnv({ AUTH_GITHUB_ID: "id", AUTH_GITHUB_SECRET: "s3cret" }).AUTH_GITHUB_ID).toBe("id");
    expect(() => parseEnv({ AUTH_GITHUB_ID: "id" })).toThrow(/AUTH_GITHUB_SECRET: must be set together with AUTH_GITHUB_ID/);
    try {
      parseEnv({ AUTH_GOOGLE_SECRET: "hidden-value" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/AUTH_GOOGLE_ID/);
      expect((error as Error).message).not.toContain("hidden-value");
    }
  });

  it("counts trusted proxies from 0 to 10", () => {
    expect(parseEnv({}).HEARTH_TRUSTED_PROXIES).toBe(0);
    expect(parseEnv({ HEARTH_TRUSTED_PROXIES: "1" }).HEARTH_TRUSTED_PROXIES).toBe(1);
    expect(() => parseEnv({ HEARTH_TRUSTED_PROXIES: "-1" })).toThrow(/HEARTH_TRUSTED_PROXIES/);
  });
});
