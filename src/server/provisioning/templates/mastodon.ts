// Mastodon 4.5-4.7 as containers (see INSTANCES.md): PostgreSQL and Redis on the tenant's
// internal network; the pre-deployment migrations (a one-shot `rails db:prepare` with
// SKIP_POST_DEPLOYMENT_MIGRATIONS=true, which on an empty database loads the whole schema); then
// web, streaming and sidekiq; then the post-deployment migrations (`rails db:migrate`). On an
// upgrade the one-shots are recreated with the new image, so the old web serves while the
// pre-deployment migrations run, and the post-deployment ones run once the new processes are up.
import { StepError } from "../docker-errors";
import { pumaSize, SHARE, sidekiqConcurrency } from "./sizing";
import type { ComponentSpec, InstanceMailSettings, TemplateInput, TenantTemplate } from "./types";

const MEDIA = "/mastodon/public/system";
// Upstream's images run as mastodon (991), in /opt/mastodon (/mastodon links there).
const MASTODON_USER = { uid: 991, gid: 991 };
const TMP = "rw,noexec,nosuid,size=64m";
// Rails and puma write pid files and caches under tmp/; nothing else outside the volumes.
const RAILS_SCRATCH = { "/opt/mastodon/tmp": `${TMP},uid=991,gid=991,mode=0755`, "/tmp": `${TMP},mode=1777` };

function sharedEnv(input: TemplateInput): Record<string, string> {
  const { secrets, domain } = input;
  const m = secrets.mastodon;
  if (!m) throw new Error("Mastodon secrets are missing");
  // PORT and BIND are per process and never shared (streaming would take web's port).
  return {
    LOCAL_DOMAIN: domain,
    RAILS_ENV: "production",
    NODE_ENV: "production",
    RAILS_LOG_TO_STDOUT: "enabled",
    // No proxy in front yet (domains and TLS come later): let puma serve the assets.
    RAILS_SERVE_STATIC_FILES: "true",
    DB_HOST: "db",
    DB_PORT: "5432",
    DB_NAME: "mastodon",
    DB_USER: "mastodon",
    DB_PASS: secrets.dbPassword,
    REDIS_HOST: "redis",
    REDIS_PORT: "6379",
    REDIS_PASSWORD: secrets.redisPassword,
    SECRET_KEY_BASE: m.secretKeyBase,
    VAPID_PRIVATE_KEY: m.vapidPrivateKey,
    VAPID_PUBLIC_KEY: m.vapidPublicKey,
    ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY: m.activeRecordPrimaryKey,
    ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY: m.activeRecordDeterministicKey,
    ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT: m.activeRecordKeyDerivationSalt,
    S3_ENABLED: "false",
    ...mailEnv(input.mail ?? null),
  };
}

/** Mastodon's SMTP_* variables (.env.production.sample); without them it cannot confirm sign-ups. */
export function mailEnv(mail: InstanceMailSettings | null): Record<string, string> {
  if (!mail) return {};
  return {
    SMTP_SERVER: mail.host,
    SMTP_PORT: String(mail.port),
    ...(mail.user ? { SMTP_LOGIN: mail.user, SMTP_PASSWORD: mail.password ?? "", SMTP_AUTH_METHOD: "plain" } : { SMTP_AUTH_METHOD: "none" }),
    SMTP_FROM_ADDRESS: mail.from,
    SMTP_ENABLE_STARTTLS: mail.tls === "starttls" ? "always" : mail.tls === "none" || mail.tls === "tls" ? "never" : "auto",
    ...(mail.tls === "tls" ? { SMTP_TLS: "true" } : {}),
  };
}

// The official postgres image's entrypoint starts as root, makes the data folder postgres's
// (chown, chmod) and drops to postgres (gosu: setuid, setgid); nothing else needs privileges.
const POSTGRES_CAPS = ["CHOWN", "FOWNER", "SETUID", "SETGID"];
// The official redis image's entrypoint chowns /data to redis and drops to it the same way.
const REDIS_CAPS = ["CHOWN", "SETUID", "SETGID"];

/** The PostgreSQL and Redis images a software with both needs (pinned on every such instance). */
export function dataImages(images: TemplateInput["images"]): { db: string; redis: string } {
  if (!images.db || !images.redis) throw new StepError("This instance has no PostgreSQL or Redis image pinned. Re-pin its images from the admin's tenant page.");
  return { db: images.db, redis: images.redis };
}

export function postgres(image: string, database: string, password: string, share: ComponentSpec["share"]): ComponentSpec {
  return {
    component: "db",
    image,
    env: { POSTGRES_USER: database, POSTGRES_PASSWORD: password, POSTGRES_DB: database },
    networks: ["internal"],
    mounts: [{ volume: "db", target: "/var/lib/postgresql/data" }],
    // Over TCP: the image's first start runs a temporary server on the socket only, and a check
    // over the socket would pass while clients are still refused ("the database system is
    // starting up").
    health: { test: ["CMD", "pg_isready", "-h", "127.0.0.1", "-U", database, "-d", database], startPeriodSeconds: 60 },
    stage: 0,
    share,
    pidsLimit: 512,
    shmSizeMb: 256,
    stopTimeoutSeconds: 30,
    capAdd: POSTGRES_CAPS,
    readOnlyRoot: true,
    tmpfs: { "/var/run/postgresql": `${TMP},mode=3777`, "/tmp": `${TMP},mode=1777` },
  };
}

export function redis(image: string, password: string, share: ComponentSpec["share"]): ComponentSpec {
  return {
    component: "redis",
    image,
    // The password is in a config file on Redis's own volume (the root file system is read-only),
    // never on a command line that any user of the host could read with ps. The image's
    // entrypoint runs redis-server as the redis user when the command starts with it.
    cmd: ["redis-server", "/data/redis.conf"],
    // redis-cli reads the password from REDISCLI_AUTH (health check, Hearth's SAVE before exports).
    env: { REDISCLI_AUTH: password },
    networks: ["internal"],
    mounts: [{ volume: "redis", target: "/data" }],
    files: [{ path: "/data/redis.conf", content: redisConfig(password), mode: 0o400, uid: 999, gid: 999 }],
    health: { test: ["CMD-SHELL", "redis-cli ping | grep -q PONG"], startPeriodSeconds: 30 },
    stage: 0,
    share,
    pidsLimit: 128,
    stopTimeoutSeconds: 15,
    capAdd: REDIS_CAPS,
    readOnlyRoot: true,
    tmpfs: { "/tmp": `${TMP},mode=1777` },
  };
}

// Redis config syntax: a double-quoted string escapes backslashes and quotes.
export function redisConfig(password: string): string {
  return [`requirepass "${password.replace(/[\\"]/g, (c) => `\\${c}`)}"`, "dir /data", ""].join("\n");
}

function httpHealth(port: number, path: string, startPeriodSeconds: number) {
  return {
    test: ["CMD-SHELL", `curl -s --noproxy localhost localhost:${port}${path} | grep -q 'OK' || exit 1`],
    startPeriodSeconds,
  };
}

export function mastodonTemplate(input: TemplateInput): TenantTemplate {
  const env = sharedEnv(input);
  const { images, secrets, plan } = input;
  // Since 4.3 the app image has no streaming server: without its own image streaming cannot run.
  if (!images.streaming) {
    throw new StepError("This Mastodon instance has no streaming image. Set HEARTH_IMAGE_MASTODON_STREAMING (ghcr.io/mastodon/mastodon-streaming at the app's version).");
  }
  const puma = pumaSize(plan);
  const concurrency = sidekiqConcurrency(plan);
  // Upstream's processes run as 991 and need no capability; Rails writes only tmp/ and the media.
  const app: Pick<ComponentSpec, "capAdd" | "readOnlyRoot" | "tmpfs"> = { capAdd: [], readOnlyRoot: true, tmpfs: RAILS_SCRATCH };
  const media = { volume: "media", target: MEDIA, owner: MASTODON_USER };
  return {
    volumes: ["db", "redis", "media"],
    components: [
      postgres(dataImages(images).db, "mastodon", secrets.dbPassword, { memory: 0.2, cpu: 0.2 }),
      redis(dataImages(images).redis, secrets.redisPassword, { memory: 0.1, cpu: 0.1 }),
      {
        component: "migrate",
        image: images.app,
        cmd: ["bundle", "exec", "rails", "db:prepare"],
        env: { ...env, SKIP_POST_DEPLOYMENT_MIGRATIONS: "true" },
        networks: ["internal"],
        mounts: [],
        oneShot: true,
        stage: 1,
        // Runs before the new web starts, so it may use web's share.
        share: { memory: SHARE.mastodonWeb, cpu: SHARE.mastodonWeb },
        pidsLimit: 512,
        stopTimeoutSeconds: 30,
        ...app,
      },
      {
        component: "web",
        image: images.app,
        cmd: ["bundle", "exec", "puma", "-C", "config/puma.rb"],
        env: { ...env, PORT: "3000", BIND: "0.0.0.0", WEB_CONCURRENCY: String(puma.webConcurrency), MAX_THREADS: String(puma.maxThreads) },
        networks: ["internal", "tenant"],
        mounts: [media],
        publish: [{ port: 3000, as: "web" }],
        health: httpHealth(3000, "/health", 180),
        stage: 2,
        share: { memory: SHARE.mastodonWeb, cpu: SHARE.mastodonWeb },
        pidsLimit: 1024,
        stopTimeoutSeconds: 30,
        ...app,
      },
      {
        component: "streaming",
        image: images.streaming,
        cmd: ["node", "./streaming/index.js"],
        env: { ...env, PORT: "4000", BIND: "0.0.0.0" },
        networks: ["internal", "tenant"],
        mounts: [],
        publish: [{ port: 4000, as: "streaming" }],
        health: httpHealth(4000, "/api/v1/streaming/health", 60),
        stage: 2,
        share: { memory: 0.1, cpu: 0.1 },
        pidsLimit: 256,
        stopTimeoutSeconds: 15,
        capAdd: [],
        readOnlyRoot: true,
        tmpfs: { "/tmp": `${TMP},mode=1777` },
      },
      {
        component: "sidekiq",
        image: images.app,
        cmd: ["bundle", "exec", "sidekiq", "-c", String(concurrency)],
        env,
        networks: ["internal", "tenant"],
        mounts: [media],
        // Upstream greps for its major version ("sidekiq 6"); any version keeps upgrades working.
        health: { test: ["CMD-SHELL", "ps aux | grep -q '[s]idekiq [0-9]' || exit 1"], startPeriodSeconds: 120 },
        stage: 2,
        share: { memory: SHARE.mastodonSidekiq, cpu: SHARE.mastodonSidekiq },
        pidsLimit: 1024,
        stopTimeoutSeconds: 30,
        ...app,
      },
      {
        component: "post-migrate",
        image: images.app,
        cmd: ["bundle", "exec", "rails", "db:migrate"],
        env,
        networks: ["internal"],
        mounts: [],
        oneShot: true,
        stage: 3,
        // Beside the running app: the smallest share that runs a Rails task.
        share: { memory: SHARE.mastodonSidekiq, cpu: 0.1 },
        pidsLimit: 512,
        stopTimeoutSeconds: 30,
        ...app,
      },
    ],
  };
}
