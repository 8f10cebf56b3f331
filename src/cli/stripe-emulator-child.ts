// The run command's local Stripe: without STRIPE_SECRET_KEY (and without an emulator of
// one's own in STRIPE_EMULATOR_URL) it starts src/stripe-emulator as a child process, its
// webhooks signed with a secret generated once into the data folder and sent to the app's
// /api/stripe/webhook, its state kept beside the database so contributions survive a restart.
import { createServer } from "node:net";
import { join } from "node:path";
import { startChild, waitForHttp, type Child } from "./processes";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export type EmulatorChild = { child: Child; url: string };

export async function startStripeEmulatorChild(options: {
  dataDir: string;
  appUrl: string;
  webhookSecret: string;
  port?: number;
  env: NodeJS.ProcessEnv;
  /** Called as soon as the process exists, before it answers: the caller can stop it on a shutdown meanwhile. */
  onSpawn?: (child: Child) => void;
}): Promise<EmulatorChild> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  // node itself (not the tsx wrapper) so that SIGTERM reaches the emulator's own handler.
  const child = startChild("stripe", process.execPath, ["--import", "tsx", "src/stripe-emulator/main.ts"], {
    ...options.env,
    STRIPE_EMULATOR_PORT: String(port),
    STRIPE_EMULATOR_HOST: "127.0.0.1",
    STRIPE_WEBHOOK_URL: new URL("/api/stripe/webhook", options.appUrl).toString(),
    STRIPE_WEBHOOK_SECRET: options.webhookSecret,
    STRIPE_EMULATOR_STATE_FILE: join(options.dataDir, "stripe-emulator.json"),
  });
  options.onSpawn?.(child);
  let alive = true;
  void child.exited.then(() => (alive = false));
  if (!(await waitForHttp(`${url}/_emulator/health`, 30_000, () => alive))) {
    throw new Error(`the Stripe emulator did not start on port ${port} (output above)`);
  }
  return { child, url };
}
