// THE Stripe client of the process. With STRIPE_SECRET_KEY (HEARTH_PAYMENTS=stripe) it talks to
// api.stripe.com; without one (HEARTH_PAYMENTS=emulator), to the local emulator at
// STRIPE_EMULATOR_URL (demos and tests only, started by the run command), through the same SDK
// so that no code path differs between the two.
import "server-only";
import Stripe from "stripe";
import { env, paymentsMode, type Env } from "@/server/config/env";
import { AppError } from "@/server/errors/app-error";

// Any sk_test_ key is accepted by the emulator; this one says where requests went in its logs.
const EMULATOR_KEY = "sk_test_hearth_local_emulator";

export type StripeTarget = { mode: "stripe" } | { mode: "emulator"; url: string } | { mode: "none" };

type StripeConfig = Pick<Env, "STRIPE_SECRET_KEY" | "STRIPE_EMULATOR_URL"> & Partial<Pick<Env, "HEARTH_PAYMENTS">>;

export function stripeTarget(config: StripeConfig): StripeTarget {
  if (paymentsMode(config) === "stripe") return { mode: "stripe" };
  if (config.STRIPE_EMULATOR_URL) return { mode: "emulator", url: config.STRIPE_EMULATOR_URL };
  return { mode: "none" };
}

/** A client for the given configuration; `stripe()` is the cached one for this process. */
export function createStripeClient(config: StripeConfig): Stripe {
  const target = stripeTarget(config);
  // Retries are safe: the SDK sends an idempotency key with every POST it retries.
  const common = { maxNetworkRetries: 2, timeout: 20_000, appInfo: { name: "Hearth" } } as const;
  if (target.mode === "stripe") return new Stripe(config.STRIPE_SECRET_KEY!, common);
  if (target.mode === "emulator") {
    const url = new URL(target.url);
    return new Stripe(EMULATOR_KEY, {
      ...common,
      host: url.hostname,
      port: Number(url.port || (url.protocol === "https:" ? 443 : 80)),
      protocol: url.protocol === "https:" ? "https" : "http",
    });
  }
  throw new AppError(
    "UNAVAILABLE",
    "Payments are not set up on this host yet. Please try again later.",
  );
}

const globalForStripe = globalThis as unknown as { hearthStripe?: Stripe };

export function stripe(): Stripe {
  globalForStripe.hearthStripe ??= createStripeClient(env());
  return globalForStripe.hearthStripe;
}

/** Tests and benchmarks only: use this client (e.g. one for an in-process emulator) from now on. */
export function overrideStripeClient(client: Stripe | undefined): void {
  globalForStripe.hearthStripe = client;
}
