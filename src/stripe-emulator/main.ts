// CLI: runs the Stripe emulator until SIGTERM or SIGINT.
//   STRIPE_EMULATOR_PORT (default 12111), STRIPE_EMULATOR_HOST (default 127.0.0.1),
//   STRIPE_WEBHOOK_URL, STRIPE_WEBHOOK_SECRET (required), STRIPE_EMULATOR_PUBLIC_URL,
//   STRIPE_EMULATOR_STATE_FILE, STRIPE_EMULATOR_FINAL_FAILURE (cancel | unpaid).
import { z } from "zod";
import { startStripeEmulator } from "./server";

const envSchema = z.object({
  STRIPE_EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(12111),
  STRIPE_EMULATOR_HOST: z.string().min(1).default("127.0.0.1"),
  STRIPE_WEBHOOK_URL: z.url({ message: "must be an absolute URL" }).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(1, "is required (the whsec_... secret the app verifies with)"),
  STRIPE_EMULATOR_PUBLIC_URL: z.url({ message: "must be an absolute URL" }).optional(),
  STRIPE_EMULATOR_STATE_FILE: z.string().min(1).optional(),
  STRIPE_EMULATOR_FINAL_FAILURE: z.enum(["cancel", "unpaid"]).default("cancel"),
});

// Empty variables count as unset, as in a .env file with `KEY=`.
const raw = Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== ""));
const parsed = envSchema.safeParse(raw);
if (!parsed.success) {
  for (const issue of parsed.error.issues) console.error(`stripe-emulator: ${issue.path.join(".")} ${issue.message}`);
  process.exit(2);
}
const env = parsed.data;

const emulator = await startStripeEmulator({
  port: env.STRIPE_EMULATOR_PORT,
  host: env.STRIPE_EMULATOR_HOST,
  webhookUrl: env.STRIPE_WEBHOOK_URL,
  webhookSecret: env.STRIPE_WEBHOOK_SECRET,
  publicUrl: env.STRIPE_EMULATOR_PUBLIC_URL,
  stateFile: env.STRIPE_EMULATOR_STATE_FILE,
  finalFailure: env.STRIPE_EMULATOR_FINAL_FAILURE,
});
console.log(
  `stripe emulator listening on ${emulator.url} (API version ${emulator.apiVersion}); webhooks -> ${env.STRIPE_WEBHOOK_URL ?? "(none)"}`,
);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`stripe emulator stopping (${signal})`);
  await emulator.stop();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
