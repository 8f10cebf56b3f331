// Configuration, validated once at boot. Every problem is reported in one message
// so an operator fixes them all in one go rather than one restart at a time.
import { z } from "zod";
import { canonicalIp } from "@/lib/ip-address";

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => /^postgres(ql)?:\/\/.+/.test(value), {
    message: "must be a postgresql:// URL, e.g. postgresql://user:pass@host:5432/hearth",
  });

const port = z.coerce
  .number({ message: "must be a number" })
  .int("must be a whole number")
  .min(1, "must be between 1 and 65535")
  .max(65535, "must be between 1 and 65535");

// A Docker image reference with an explicit tag or digest, e.g. postgres:14-alpine.
const imageRef = z
  .string()
  .trim()
  .regex(/^[a-z0-9]+([._\/:-][a-z0-9]+)*(:[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$/i, {
    message: "must be an image reference with a tag or digest, e.g. ghcr.io/mastodon/mastodon:v4.7.2",
  });

export const SOFTWARE = ["MASTODON", "MISSKEY", "SHARKEY", "BLUESKY_PDS"] as const;

// OAuth sign-in providers: each is switched on when both its id and secret are set.
export const OAUTH_PROVIDERS = {
  github: { name: "GitHub", id: "AUTH_GITHUB_ID", secret: "AUTH_GITHUB_SECRET" },
  gitlab: { name: "GitLab", id: "AUTH_GITLAB_ID", secret: "AUTH_GITLAB_SECRET" },
  google: { name: "Google", id: "AUTH_GOOGLE_ID", secret: "AUTH_GOOGLE_SECRET" },
} as const;

const baseSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: postgresUrl.optional(),
  PORT: port.default(3000),
  HOSTNAME: z.string().trim().min(1).default("127.0.0.1"),
  // Public address of the panel; next-auth builds its callback URLs from it.
  NEXTAUTH_URL: z.url({ message: "must be an absolute URL, e.g. https://hearth.example.org" }).optional(),
  NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters (try: openssl rand -base64 32)").optional(),
  // Encrypts tenant secrets at rest: 32 bytes, base64.
  HEARTH_SECRET_KEY: z
    .string()
    .refine((value) => Buffer.from(value, "base64").length === 32, {
      message: "must be 32 bytes encoded as base64 (try: openssl rand -base64 32)",
    })
    .optional(),
  HEARTH_DATA_DIR: z.string().trim().min(1).default(".hearth"),
  // Where instance exports (tar.gz archives with secrets) are written; default HEARTH_DATA_DIR/exports.
  HEARTH_EXPORTS_DIR: optionalString,
  HEARTH_BASE_DOMAIN: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, "must be a domain name such as hearth.example.org")
    .default("hearth.localhost"),
  HEARTH_ADMIN_EMAILS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((email) => email.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.email({ message: "must be a comma-separated list of email addresses" }))),
  // Software a new community may choose. Moves to the host settings page later.
  HEARTH_ENABLED_SOFTWARE: z
    .string()
    .default(SOFTWARE.join(","))
    .transform((value) =>
      value
        .split(",")
        .map((name) => name.trim().toUpperCase())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.enum(SOFTWARE, { message: `must be a comma-separated list of ${SOFTWARE.join(", ")}` }))
        .min(1, `must name at least one of ${SOFTWARE.join(", ")}`),
    ),
  // How many reverse proxies sit in front of Hearth and append to X-Forwarded-For. The
  // client address used for rate limits is the one the outermost of them saw.
  HEARTH_TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
  // New accounts per client address and hour (a meetup behind one NAT address may sign up together).
  HEARTH_SIGN_UPS_PER_ADDRESS_HOUR: z.coerce.number().int().min(1).max(100_000).default(30),
  AUTH_GITHUB_ID: optionalString,
  AUTH_GITHUB_SECRET: optionalString,
  AUTH_GITLAB_ID: optionalString,
  AUTH_GITLAB_SECRET: optionalString,
  AUTH_GOOGLE_ID: optionalString,
  AUTH_GOOGLE_SECRET: optionalString,
  // Docker engine, as the docker CLI reads it: unix:// (default socket), tcp:// (TLS when
  // DOCKER_TLS_VERIFY=1, certificates in DOCKER_CERT_PATH) or ssh://user@host[:port].
  DOCKER_HOST: optionalString.pipe(
    z
      .string()
      .regex(/^(unix|tcp|ssh):\/\/.+/, "must start with unix://, tcp:// or ssh://")
      .optional(),
  ),
  DOCKER_TLS_VERIFY: z
    .enum(["", "0", "1"], { message: "must be 1 (verify TLS) or 0" })
    .optional()
    .transform((value) => value === "1"),
  DOCKER_CERT_PATH: optionalString,
  // Private key file for ssh:// engines; without it the SSH agent (SSH_AUTH_SOCK) is used.
  HEARTH_DOCKER_SSH_KEY: optionalString,
  // Images of each component, pinned by version. A tenant keeps the images it was created with.
  HEARTH_IMAGE_MASTODON: imageRef.default("ghcr.io/mastodon/mastodon:v4.7.2"),
  HEARTH_IMAGE_MASTODON_STREAMING: imageRef.default("ghcr.io/mastodon/mastodon-streaming:v4.7.2"),
  HEARTH_IMAGE_MASTODON_POSTGRES: imageRef.default("postgres:14-alpine"),
  HEARTH_IMAGE_MISSKEY: imageRef.default("misskey/misskey:2026.5.4"),
  HEARTH_IMAGE_SHARKEY: imageRef.default("registry.activitypub.software/transfem-org/sharkey:2025.4.7"),
  HEARTH_IMAGE_MISSKEY_POSTGRES: imageRef.default("postgres:15-alpine"),
  HEARTH_IMAGE_REDIS: imageRef.default("redis:7-alpine"),
  // New instances run the test bed's stand-ins (src/server/provisioning/testing/standin-images.ts),
  // not the real software: for demos and tests on machines without the real images. `npm start`
  // sets 1 (with their HEARTH_IMAGE_*) when no HEARTH_IMAGE_* is set and no app image can be had,
  // unless NODE_ENV=production or STRIPE_SECRET_KEY is set; 1 opts in there too; 0 never. The start
  // form then says a server "runs as a stand-in (demo)" (src/cli/local-instances.ts).
  HEARTH_STANDIN_INSTANCES: z.enum(["0", "1"], { message: "must be 1 (stand-in instances) or 0" }).optional(),
  // Bluesky PDS: upstream's image (bluesky-social/pds; its installer's compose file pins the 0.4 line).
  HEARTH_IMAGE_PDS: imageRef.default("ghcr.io/bluesky-social/pds:0.4"),
  // The network a PDS joins (upstream's installer's values by default): the did:plc directory its
  // accounts' DIDs are registered with, the AppView it proxies app.bsky.* reads to, the moderation
  // service reports go to, and the relays it asks to crawl it (comma-separated; "none" for a
  // private network). Point them elsewhere for tests or a network of your own.
  HEARTH_PDS_PLC_URL: z.url({ message: "must be the did:plc directory's URL, e.g. https://plc.directory" }).default("https://plc.directory"),
  HEARTH_PDS_APPVIEW_URL: z.url({ message: "must be the AppView's URL, e.g. https://api.bsky.app" }).default("https://api.bsky.app"),
  HEARTH_PDS_APPVIEW_DID: z.string().trim().regex(/^did:[a-z]+:\S+$/, "must be a DID, e.g. did:web:api.bsky.app").default("did:web:api.bsky.app"),
  HEARTH_PDS_REPORT_SERVICE_URL: z.url({ message: "must be the moderation service's URL" }).default("https://mod.bsky.app"),
  HEARTH_PDS_REPORT_SERVICE_DID: z.string().trim().regex(/^did:[a-z]+:\S+$/, "must be a DID").default("did:plc:ar7c4by46qjdydhdevvrndac"),
  HEARTH_PDS_CRAWLERS: z
    .string()
    .default("https://bsky.network")
    .transform((value) => (value.trim() === "none" ? [] : value.split(",").map((part) => part.trim()).filter(Boolean)))
    .pipe(z.array(z.url({ message: "must be comma-separated relay URLs, e.g. https://bsky.network" }))),
  // Tests only: lets the PDS reach plain-http private addresses (a local directory). Never in production.
  HEARTH_PDS_DISABLE_SSRF_PROTECTION: z
    .enum(["", "true", "false"], { message: "must be true or false" })
    .default("false")
    .transform((value) => value === "true"),
  // Host address the web and streaming ports are published on (an ephemeral port each), only
  // with HEARTH_INGRESS=off (debugging, or a proxy of your own): otherwise nothing of a tenant is
  // published and the ingress is the way in.
  HEARTH_PUBLISH_IP: z.union([z.ipv4(), z.ipv6()], { message: "must be an IP address" }).default("127.0.0.1"),
  // The ingress (src/server/provisioning/ingress): one Caddy container per Docker engine in front of every
  // instance. "off" publishes each instance's ports instead and calls it live once healthy.
  HEARTH_INGRESS: z.enum(["on", "off"], { message: "must be on or off" }).default("on"),
  HEARTH_IMAGE_INGRESS: imageRef.default("caddy:2.10.2"),
  // Host ports the ingress publishes HTTP and HTTPS on (0: any free port, read back from Docker).
  HEARTH_INGRESS_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(80),
  HEARTH_INGRESS_HTTPS_PORT: z.coerce.number().int().min(0).max(65535).default(443),
  // The host name own domains point at with a CNAME; default HEARTH_BASE_DOMAIN.
  HEARTH_INGRESS_HOSTNAME: optionalString,
  // The addresses visitors reach the ingress at (comma-separated IPv4 and IPv6): what an own
  // domain's A and AAAA records must say, and what its dashboard tells the organiser to create.
  // Default: the A and AAAA records of HEARTH_INGRESS_HOSTNAME, looked up when needed.
  HEARTH_INGRESS_ADDRESSES: z
    .string()
    .optional()
    .transform((value) => value?.split(",").map((part) => part.trim()).filter(Boolean))
    .pipe(
      z
        .array(
          z
            .union([z.ipv4(), z.ipv6()], { message: "must be comma-separated IP addresses of this host, e.g. 203.0.113.5,2001:db8::5" })
            .refine((address) => !["0.0.0.0", "::"].includes(canonicalIp(address)), "is the unspecified address, which no visitor can reach")
            .transform(canonicalIp),
        )
        .min(1, "names no address: leave it unset to look up HEARTH_INGRESS_HOSTNAME's A and AAAA records instead")
        .optional(),
    ),
  HEARTH_INGRESS_BIND: z.union([z.ipv4(), z.ipv6()], { message: "must be an IP address" }).optional(),
  // Certificates: an ACME directory URL, or "internal" for Caddy's own CA (the default for a
  // *.localhost base domain; Let's Encrypt's production directory otherwise).
  HEARTH_ACME_DIRECTORY: z
    .union([z.literal("internal"), z.url({ message: "must be an ACME directory URL or internal" })])
    .optional(),
  HEARTH_ACME_EMAIL: z.email({ message: "must be an email address" }).optional(),
  // PEM file with the roots of a private or test ACME CA: trusted by Caddy for the directory and
  // by Hearth's reachability check for the certificates it issues.
  HEARTH_ACME_CA_ROOTS: optionalString,
  // DNS servers (ip or ip:port, comma-separated) for own-domain checks and Hearth's reachability
  // check; default: the system's resolver.
  HEARTH_DNS_SERVERS: z
    .string()
    .default("")
    .transform((value) => value.split(",").map((part) => part.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[0-9a-f.:[\]]+$/i, "must be comma-separated IP addresses, optionally with :port"))),
  // How often the worker looks up every verified own domain again; the organiser's admins are
  // mailed when one stops pointing at this host (src/server/domains/recheck-own-domains.ts).
  HEARTH_DOMAIN_RECHECK_MINUTES: z.coerce.number().min(1).max(10_080).default(60),
  // How often Docker runs each container's health check, and how long a start may take.
  HEARTH_HEALTHCHECK_INTERVAL_SECONDS: z.coerce.number().min(0.1).max(300).default(10),
  HEARTH_HEALTH_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(3600).default(600),
  // A failing provisioning step is retried this many times in all, waiting base x 3^n seconds
  // between attempts; then the instance shows an error and is retried every ERROR_RETRY minutes.
  HEARTH_PROVISION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  HEARTH_PROVISION_RETRY_BASE_SECONDS: z.coerce.number().min(0.1).max(3600).default(10),
  HEARTH_PROVISION_ERROR_RETRY_MINUTES: z.coerce.number().min(1).max(10080).default(30),
  // How often the worker compares every instance with Docker and reaps orphaned objects.
  HEARTH_RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().min(2).max(3600).default(30),
  // Payments: "stripe" (api.stripe.com, with STRIPE_SECRET_KEY) or "emulator" (the local Stripe
  // emulator at STRIPE_EMULATOR_URL, which the run command starts: demos and tests, no money
  // moves, and every page says so). Unset: stripe with a key, else the emulator, except under
  // NODE_ENV=production, which must have a key or choose the emulator by name (see paymentsMode).
  HEARTH_PAYMENTS: z.enum(["stripe", "emulator"], { message: "must be stripe or emulator" }).optional(),
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  STRIPE_EMULATOR_URL: z.url({ message: "must be an absolute URL, e.g. http://127.0.0.1:12111" }).optional(),
  // Port of the emulator the run command starts (default: any free port).
  STRIPE_EMULATOR_PORT: port.optional(),
  // Funding: the host's currency, its monthly fee on top of each plan (smallest unit), the
  // grace period, and the contribution choices. Setting rows (funding.*) override these.
  HEARTH_CURRENCY: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z]{3}$/, "must be a three-letter ISO currency code such as eur")
    .default("eur"),
  HEARTH_HOST_FEE_CENTS: z.coerce.number().int("must be a whole number of cents").min(0).max(10_000_000).default(0),
  HEARTH_FUNDING_GRACE_DAYS: z.coerce.number().int("must be a whole number of days").min(0).max(365).default(14),
  HEARTH_CONTRIBUTION_MAX: z.coerce.number().int("must be a whole amount").min(1).max(999_999).default(1000),
  HEARTH_CONTRIBUTION_PRESETS: z
    .string()
    .default("3,5,10,20")
    .transform((value) => value.split(",").map((part) => part.trim()).filter(Boolean).map(Number))
    .pipe(z.array(z.number().int().min(1), { message: "must be comma-separated whole amounts, e.g. 3,5,10,20" }).max(8)),
  // Stripe events in the worker: objects processed at once, attempts before an event is
  // dead-lettered, the first retry delay (each next one 4x longer), and the reconciliation
  // job (how often, over how many days of Stripe's invoices, subscriptions and refunds).
  HEARTH_STRIPE_EVENT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  HEARTH_STRIPE_EVENT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  HEARTH_STRIPE_EVENT_RETRY_SECONDS: z.coerce.number().min(0.01).max(3600).default(30),
  HEARTH_STRIPE_RECONCILE_MINUTES: z.coerce.number().min(1).max(10_080).default(60),
  HEARTH_STRIPE_RECONCILE_DAYS: z.coerce.number().int().min(1).max(30).default(3),
  // How often the worker charges hosting months and ends grace periods.
  HEARTH_FUNDING_CLOCK_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  // Mail (src/server/mail). SMTP_URL (smtp:// or smtps://user:pass@host:port) or the SMTP_HOST
  // group; with neither, mail is kept in Hearth for the host admins' mail viewer and not sent.
  SMTP_URL: optionalString.pipe(
    z
      .string()
      .regex(/^smtps?:\/\/[^/\s]+/, "must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@smtp.example.org:587")
      .optional(),
  ),
  SMTP_HOST: optionalString,
  SMTP_PORT: port.optional(),
  SMTP_USER: optionalString,
  SMTP_PASSWORD: optionalString,
  // tls: TLS from the first byte (port 465); starttls: STARTTLS required; auto: STARTTLS when
  // the server offers it (default); none: never (a relay on the same machine only).
  SMTP_TLS: z.enum(["auto", "starttls", "tls", "none"], { message: "must be auto, starttls, tls or none" }).default("auto"),
  HEARTH_MAIL_FROM: optionalString.pipe(
    z
      .string()
      .regex(/^([^<>@]*<[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/, {
        message: 'must be an address, e.g. hearth@example.org or "Hearth <hearth@example.org>"',
      })
      .optional(),
  ),
  // How often the worker looks for mail to send; the first retry waits RETRY_BASE seconds, each
  // next one twice as long, until MAX_ATTEMPTS attempts in all.
  HEARTH_MAIL_INTERVAL_SECONDS: z.coerce.number().min(0.2).max(300).default(2),
  HEARTH_MAIL_RETRY_BASE_SECONDS: z.coerce.number().min(0.1).max(3600).default(30),
  HEARTH_MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  HEARTH_MAIL_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(4),
  WORKER_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(300).default(5),
  // The worker's CPU niceness (0, as the web app, to 19): above 0, requests to the web app go
  // first when the CPU is contended (src/server/worker/priority.ts).
  HEARTH_WORKER_NICENESS: z.coerce.number().int().min(0).max(19).default(0),
  // The niceness of the worker's thread that processes recorded Stripe events (0 to 19): the
  // webhook has answered already, so under contention that work waits for requests.
  HEARTH_STRIPE_EVENT_NICENESS: z.coerce.number().int().min(0).max(19).default(10),
  // The worker is considered gone when its last heartbeat is older than this.
  WORKER_STALE_SECONDS: z.coerce.number().int().min(2).max(3600).default(30),
  // Server load (src/server/metrics). Intervals in seconds, thresholds in percent of the
  // tenant's plan limits, retention per storage tier.
  METRICS_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
  // auto: read the kernel's cgroup counters when the engine is on this machine (no load on
  // dockerd), else the Docker stats API; api / cgroup force one.
  METRICS_SOURCE: z.enum(["auto", "api", "cgroup"]).default("auto"),
  METRICS_STATS_CONCURRENCY: z.coerce.number().int().min(1).max(1024).default(128),
  METRICS_DISK_INTERVAL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(600),
  METRICS_HEAVY_CPU_PERCENT: z.coerce.number().min(1).max(1000).default(90),
  METRICS_HEAVY_MEMORY_PERCENT: z.coerce.number().min(1).max(1000).default(90),
  // Load must drop this many points below the threshold to count as calm again.
  METRICS_HEAVY_HYSTERESIS_PERCENT: z.coerce.number().min(0).max(100).default(10),
  METRICS_HEAVY_ENTER_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  METRICS_HEAVY_LEAVE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  // Heavy load lasting this long opens a recommendation for a larger plan.
  METRICS_RECOMMEND_AFTER_SECONDS: z.coerce.number().int().min(0).max(30 * 86_400).default(3600),
  METRICS_RAW_RETENTION_HOURS: z.coerce.number().min(1).max(24 * 31).default(3),
  METRICS_FIVE_MINUTE_RETENTION_DAYS: z.coerce.number().min(1).max(366).default(8),
  METRICS_HOURLY_RETENTION_DAYS: z.coerce.number().min(8).max(3660).default(400),
});

export const envSchema = baseSchema.superRefine((config, ctx) => {
  // Pretend payments are never what a production Hearth falls into by leaving a key out.
  if (config.HEARTH_PAYMENTS === "stripe" && !config.STRIPE_SECRET_KEY) {
    ctx.addIssue({ code: "custom", path: ["STRIPE_SECRET_KEY"], message: "is required with HEARTH_PAYMENTS=stripe (your Stripe account's sk_live_... or sk_test_... key)" });
  }
  if (config.HEARTH_PAYMENTS === "emulator" && config.STRIPE_SECRET_KEY) {
    ctx.addIssue({ code: "custom", path: ["HEARTH_PAYMENTS"], message: "is emulator, but STRIPE_SECRET_KEY is set: choose one (HEARTH_PAYMENTS=stripe, or no key for a demo)" });
  }
  if (!config.HEARTH_PAYMENTS && !config.STRIPE_SECRET_KEY && config.NODE_ENV === "production") {
    ctx.addIssue({
      code: "custom",
      path: ["HEARTH_PAYMENTS"],
      message:
        "NODE_ENV=production needs real payments: set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, or HEARTH_PAYMENTS=emulator for a demo in which no money moves (every page then says so)",
    });
  }
  // Real Stripe without its signing secret would accept no webhook at all.
  if (config.STRIPE_SECRET_KEY && !config.STRIPE_WEBHOOK_SECRET) {
    ctx.addIssue({
      code: "custom",
      path: ["STRIPE_WEBHOOK_SECRET"],
      message: "is required when STRIPE_SECRET_KEY is set (the whsec_... secret of your webhook endpoint)",
    });
  }
  if (config.SMTP_URL && config.SMTP_HOST) {
    ctx.addIssue({ code: "custom", path: ["SMTP_HOST"], message: "set either SMTP_URL or SMTP_HOST (with SMTP_PORT, SMTP_USER, SMTP_PASSWORD), not both" });
  }
  if (!config.SMTP_HOST && (config.SMTP_USER || config.SMTP_PASSWORD || config.SMTP_PORT)) {
    const path = config.SMTP_USER ? "SMTP_USER" : config.SMTP_PASSWORD ? "SMTP_PASSWORD" : "SMTP_PORT";
    ctx.addIssue({ code: "custom", path: [path], message: "needs SMTP_HOST (the relay's host name)" });
  }
  if (Boolean(config.SMTP_USER) !== Boolean(config.SMTP_PASSWORD)) {
    ctx.addIssue({ code: "custom", path: [config.SMTP_USER ? "SMTP_PASSWORD" : "SMTP_USER"], message: "SMTP_USER and SMTP_PASSWORD go together" });
  }
  for (const provider of Object.values(OAUTH_PROVIDERS)) {
    const hasId = Boolean(config[provider.id]);
    if (hasId !== Boolean(config[provider.secret])) {
      const missing = hasId ? provider.secret : provider.id;
      ctx.addIssue({ code: "custom", path: [missing], message: `must be set together with ${hasId ? provider.id : provider.secret} to sign in with ${provider.name}` });
    }
  }
});

export type Env = z.infer<typeof envSchema>;

/** Whether payments are real (Stripe) or pretend (the local emulator), as the rules above allow. */
export function paymentsMode(config: Pick<Env, "STRIPE_SECRET_KEY"> & Partial<Pick<Env, "HEARTH_PAYMENTS">>): "stripe" | "emulator" {
  return config.HEARTH_PAYMENTS ?? (config.STRIPE_SECRET_KEY ? "stripe" : "emulator");
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Hearth cannot start: invalid configuration\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty value means "not set", as in most .env files.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = envSchema.safeParse(present);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const key = issue.path.join(".") || "(environment)";
        const raw = source[String(issue.path[0])];
        // Never echo values of secret variables back into logs.
        const shown = raw === undefined || /SECRET|KEY|PASSWORD|URL/.test(key) ? "" : ` (got "${raw}")`;
        return `${key}: ${issue.message}${shown}`;
      }),
    );
  }
  return result.data;
}

let cached: Env | undefined;

/** The validated configuration of this process. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
