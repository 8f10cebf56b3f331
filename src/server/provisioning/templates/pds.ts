// A Bluesky Personal Data Server (@atproto/pds, upstream's image bluesky-social/pds): one Node
// process with its SQLite databases in the data volume and its blob store in the blobs volume; no
// PostgreSQL, no Redis. Configured entirely by PDS_* environment variables, as upstream's installer
// writes them (bluesky-social/pds, installer.sh and service/index.js).
import type { InstanceMailSettings, TemplateInput, TenantTemplate } from "./types";

/** Handles under a TLD atproto refuses (syntax/handle: isValidTld) can never be created. */
export const DISALLOWED_HANDLE_TLDS = [".local", ".arpa", ".invalid", ".localhost", ".internal", ".example", ".alt", ".onion"];

/** Why a PDS cannot serve handles under this domain, or null when it can. */
export function pdsDomainProblem(domain: string): string | null {
  const lower = domain.toLowerCase();
  const tld = DISALLOWED_HANDLE_TLDS.find((t) => lower.endsWith(t));
  return tld
    ? `Bluesky handles cannot end in ${tld}, and this host names communities under ${tld}: a Bluesky PDS needs a public domain.`
    : null;
}

/**
 * The relay as the PDS reads PDS_EMAIL_SMTP_URL (nodemailer's URL form): smtps:// for TLS from the
 * first byte; smtp:// upgrades with STARTTLS when offered, `requireTLS` insists, `ignoreTLS` never.
 */
export function smtpUrl(mail: InstanceMailSettings): string {
  const auth = mail.user ? `${encodeURIComponent(mail.user)}:${encodeURIComponent(mail.password ?? "")}@` : "";
  const scheme = mail.tls === "tls" ? "smtps" : "smtp";
  const query = mail.tls === "starttls" ? "?requireTLS=true" : mail.tls === "none" ? "?ignoreTLS=true" : "";
  return `${scheme}://${auth}${mail.host}:${mail.port}${query}`;
}

/** Upstream's default upload limit for a blob (images, video), 50 MiB; the ingress allows a little more. */
export const PDS_BLOB_LIMIT_BYTES = 50 * 1024 * 1024;

export function pdsTemplate(input: TemplateInput): TenantTemplate {
  const { secrets, domain, images, plan, mail } = input;
  const pds = secrets.pds;
  if (!pds) throw new Error("Bluesky PDS secrets are missing");
  const network = input.pds;
  if (!network) throw new Error("Bluesky PDS network settings are missing");
  // Node's heap sized to the plan: three quarters of the container's memory, the rest for SQLite and buffers.
  const heapMb = Math.max(128, Math.floor(plan.memoryMb * 0.75));
  const env: Record<string, string> = {
    NODE_ENV: "production",
    NODE_OPTIONS: `--max-old-space-size=${heapMb}`,
    PDS_PORT: "3000",
    PDS_HOSTNAME: domain,
    // Handles are names one label below the community's domain: alice.<domain>.
    PDS_SERVICE_HANDLE_DOMAINS: `.${domain}`,
    PDS_DATA_DIRECTORY: "/pds",
    PDS_BLOBSTORE_DISK_LOCATION: "/blobs/blocks",
    // On the same volume, so a finished upload is a rename, never a copy across file systems.
    PDS_BLOBSTORE_DISK_TMP_LOCATION: "/blobs/tmp",
    PDS_BLOB_UPLOAD_LIMIT: String(PDS_BLOB_LIMIT_BYTES),
    PDS_JWT_SECRET: pds.jwtSecret,
    PDS_ADMIN_PASSWORD: pds.adminPassword,
    PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX: pds.plcRotationKeyHex,
    PDS_DID_PLC_URL: network.plcUrl,
    PDS_BSKY_APP_VIEW_URL: network.appViewUrl,
    PDS_BSKY_APP_VIEW_DID: network.appViewDid,
    PDS_REPORT_SERVICE_URL: network.reportServiceUrl,
    PDS_REPORT_SERVICE_DID: network.reportServiceDid,
    PDS_CRAWLERS: network.crawlers.join(","),
    // Members join with an invite code from the organiser unless the community opens sign-up.
    PDS_INVITE_REQUIRED: input.openSignUp ? "false" : "true",
    LOG_ENABLED: "true",
  };
  if (network.disableSsrfProtection) env.PDS_DISABLE_SSRF_PROTECTION = "true";
  if (mail) {
    // Account confirmation and password reset go through the host's relay, as the other software's mail does.
    env.PDS_EMAIL_SMTP_URL = smtpUrl(mail);
    env.PDS_EMAIL_FROM_ADDRESS = mail.from;
  }
  return {
    volumes: ["data", "blobs"],
    components: [
      {
        component: "pds",
        image: images.app,
        env,
        networks: ["tenant"],
        mounts: [
          { volume: "data", target: "/pds" },
          { volume: "blobs", target: "/blobs" },
        ],
        publish: [{ port: 3000, as: "web" }],
        // Node is in the image; whether curl or wget is depends on its base.
        health: {
          test: [
            "CMD",
            "node",
            "-e",
            "fetch('http://127.0.0.1:3000/xrpc/_health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))",
          ],
          // Its first start creates the SQLite databases and runs their migrations.
          startPeriodSeconds: 300,
          // The check starts a Node process inside the PDS's own CPU quota (half a core on the
          // smallest plan): more than the usual 5 s when the host is busy.
          timeoutSeconds: 15,
        },
        stage: 2,
        share: { memory: 1, cpu: 1 },
        pidsLimit: 1024,
        // SIGTERM closes the databases and the HTTP server (upstream's service/index.js).
        stopTimeoutSeconds: 30,
        // Upstream's image runs as root; with every capability dropped, root can write only what it
        // owns: its own volumes (fresh named volumes are root's) and the tmpfs.
        capAdd: [],
        readOnlyRoot: true,
        tmpfs: { "/tmp": "rw,noexec,nosuid,size=256m" },
      },
    ],
  };
}
