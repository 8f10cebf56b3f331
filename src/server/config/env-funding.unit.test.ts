import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

describe("funding configuration", () => {
  it("has working defaults: euros, no host fee, 14 days of grace, 1 to 1000 per month", () => {
    const config = parseEnv({});
    expect(config).toMatchObject({
      HEARTH_CURRENCY: "eur",
      HEARTH_HOST_FEE_CENTS: 0,
      HEARTH_FUNDING_GRACE_DAYS: 14,
      HEARTH_CONTRIBUTION_MAX: 1000,
      HEARTH_CONTRIBUTION_PRESETS: [3, 5, 10, 20],
    });
    expect(config.STRIPE_SECRET_KEY).toBeUndefined();
  });

  it("wants the webhook secret with a real Stripe key, and says what is wrong with the rest", () => {
    expect(() => parseEnv({ STRIPE_SECRET_KEY: "sk_live_x" })).toThrow(/STRIPE_WEBHOOK_SECRET: is required when STRIPE_SECRET_KEY is set/);
    expect(parseEnv({ STRIPE_SECRET_KEY: "sk_live_x", STRIPE_WEBHOOK_SECRET: "whsec_y" }).STRIPE_SECRET_KEY).toBe("sk_live_x");
    expect(() => parseEnv({ HEARTH_CURRENCY: "euro" })).toThrow(/HEARTH_CURRENCY: must be a three-letter ISO currency code/);
    expect(() => parseEnv({ HEARTH_CONTRIBUTION_PRESETS: "3,five" })).toThrow(/HEARTH_CONTRIBUTION_PRESETS/);
    expect(() => parseEnv({ STRIPE_EMULATOR_URL: "127.0.0.1:12111" })).toThrow(/STRIPE_EMULATOR_URL/);
    expect(parseEnv({ HEARTH_CURRENCY: " USD " }).HEARTH_CURRENCY).toBe("usd");
  });
});
