// Docker for the end-to-end run: the test bed's real PostgreSQL and Redis images (built once per
// machine) and the app stand-ins (real Mastodon and Misskey images cannot be pulled here) under
// tags unique to this run, short health-check intervals, and afterwards the removal of everything
// this run's installation made (its id is in the e2e database).
import { randomBytes } from "node:crypto";
import Docker from "dockerode";
import { installationIdAt } from "@/server/docker/installation-setting";
import { buildStandIns, type StandIns } from "@/server/provisioning/testing/standin-images";
import { ensureImage } from "@/testbed/images/build-image";

export const E2E_ADMIN_EMAIL = "e2e-admin@admins.hearth.test";
// A host-admin address nobody has signed up with: the security tests try to claim it.
export const E2E_UNCLAIMED_ADMIN_EMAIL = "e2e-unclaimed@admins.hearth.test";

export type E2eDocker = {
  env: Record<string, string>;
  /** What the ingress pass adds: the ingress on, with the test bed's Caddy and any free ports. */
  ingressEnv: () => Promise<Record<string, string>>;
  /** Removes what each run's installation (one per database) made, then this run's stand-ins. */
  cleanUp: (databaseUrls: string[]) => Promise<void>;
};

export async function prepareE2eDocker(): Promise<E2eDocker> {
  const docker = new Docker();
  let standIns: StandIns | undefined;
  try {
    standIns = await buildStandIns(`e2e${randomBytes(4).toString("hex")}`, docker, (line) => console.log(`hearth test: ${line}`));
  } catch (error) {
    // No engine: the e2e tests that need one fail with their own message; the rest still run.
    console.error(`hearth test: could not build the stand-in images (${error instanceof Error ? error.message : String(error)})`);
  }
  return {
    env: {
      ...(standIns?.env ?? {}),
      HEARTH_HEALTHCHECK_INTERVAL_SECONDS: "0.5",
      // The e2e flows check the panel with the ingress off; the *.ingress.spec.ts files run against
      // a second app with it on (ingressEnv), and the ingress has its own tests
      // (src/server/provisioning/ingress).
      HEARTH_INGRESS: "off",
      HEARTH_HEALTH_TIMEOUT_SECONDS: "240",
      HEARTH_RECONCILE_INTERVAL_SECONDS: "2",
      // The first hosting month is charged when the funding clock sees the server up.
      HEARTH_FUNDING_CLOCK_SECONDS: "2",
      // Every e2e person signs up from 127.0.0.1; the suite makes more than the default 30 an hour.
      HEARTH_SIGN_UPS_PER_ADDRESS_HOUR: "1000",
      HEARTH_ADMIN_EMAILS: `${E2E_ADMIN_EMAIL},${E2E_UNCLAIMED_ADMIN_EMAIL}`,
      E2E_ADMIN_EMAIL,
      E2E_UNCLAIMED_ADMIN_EMAIL,
    },
    ingressEnv: async () => ({
      HEARTH_INGRESS: "on",
      HEARTH_IMAGE_INGRESS: (await ensureImage(docker, "caddy", (line) => console.log(`hearth test: ${line}`))).tag,
      // Caddy's internal CA at https://<address>.hearth.localhost:<port> (Chromium resolves
      // *.localhost to loopback); any free host ports, as other runs share this engine.
      HEARTH_BASE_DOMAIN: "hearth.localhost",
      HEARTH_INGRESS_HTTP_PORT: "0",
      HEARTH_INGRESS_HTTPS_PORT: "0",
    }),
    cleanUp: async (databaseUrls) => {
      for (const databaseUrl of databaseUrls) {
        const installation = await installationIdAt(databaseUrl).catch(() => null);
        if (!installation) continue;
        const filters = { label: [`hearth.installation=${installation}`] };
        for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true }).catch(() => {});
        for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(() => {});
        for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => {});
      }
      await standIns?.remove();
    },
  };
}
