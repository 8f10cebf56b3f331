// Payments are real or pretend by a rule, never by accident: production without a Stripe key
// refuses to start unless the emulator is chosen by name.
import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv, paymentsMode } from "./env";

const STRIPE = { STRIPE_SECRET_KEY: "sk_live_x", STRIPE_WEBHOOK_SECRET: "whsec_x" };

function problemsOf(source: Record<string, string>): string[] {
  let error: unknown;
  try {
    parseEnv(source);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).problems;
}

describe("HEARTH_PAYMENTS", () => {
  it("refuses production without a Stripe key, saying what to set", () => {
    const problems = problemsOf({ NODE_ENV: "production" });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^HEARTH_PAYMENTS: NODE_ENV=production needs real payments: set STRIPE_SECRET_KEY .* or HEARTH_PAYMENTS=emulator/);
  });

  it("lets production run on the emulator only when it is chosen by name", () => {
    const config = parseEnv({ NODE_ENV: "production", HEARTH_PAYMENTS: "emulator" });
    expect(paymentsMode(config)).toBe("emulator");
  });

  it("takes Stripe in production when a key is given, with or without the setting", () => {
    expect(paymentsMode(parseEnv({ NODE_ENV: "production", ...STRIPE }))).toBe("stripe");
    expect(paymentsMode(parseEnv({ NODE_ENV: "production", HEARTH_PAYMENTS: "stripe", ...STRIPE }))).toBe("stripe");
  });

  it("defaults to the emulator outside production, and to Stripe with a key", () => {
    expect(paymentsMode(parseEnv({}))).toBe("emulator");
    expect(paymentsMode(parseEnv({ NODE_ENV: "test" }))).toBe("emulator");
    expect(paymentsMode(parseEnv(STRIPE))).toBe("stripe");
  });

  it("refuses settings that contradict each other or are unknown", () => {
    expect(problemsOf({ HEARTH_PAYMENTS: "stripe" })).toEqual([expect.stringMatching(/^STRIPE_SECRET_KEY: is required with HEARTH_PAYMENTS=stripe/)]);
    expect(problemsOf({ HEARTH_PAYMENTS: "emulator", ...STRIPE })).toEqual([expect.stringMatching(/^HEARTH_PAYMENTS: is emulator, but STRIPE_SECRET_KEY is set/)]);
    expect(problemsOf({ NODE_ENV: "production", HEARTH_PAYMENTS: "paypal" })).toEqual([expect.stringMatching(/^HEARTH_PAYMENTS: must be stripe or emulator/)]);
  });
});
