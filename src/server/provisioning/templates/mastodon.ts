// Mastodon 4.3-4.5 as containers (see INSTANCES.md): PostgreSQL and Redis on the tenant's
// internal network, a one-shot `rails db:prepare`, then web, streaming and sidekiq.
import type { ComponentSpec, InstanceMailSettings, TemplateInput, TenantTemplate } from "./types";

const MEDIA = "/mastodon/public/system";

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

export function postgres(image: string, database: string, password: string, share: ComponentSpec["share"]): ComponentSpec {
  return {
    component: "db",
    image,
    env: { POSTGRES_USER: database, POSTGRES_PASSWORD: password, POSTGRES_DB: database },
    networks: ["internal"],
    mounts: [{ volume: "db", target: "/var/lib/postgresql/data" }],
    health: { test: ["CMD", "pg_isready", "-U", database, "-d", database], startPeriodSeconds: 60 },
    stage: 0,
    share,
    pidsLimit: 512,
    shmSizeMb: 256,
    stopTimeoutSeconds: 30,
  };
}

export function redis(image: string, password: string, share: ComponentSpec["share"]): ComponentSpec {
  return {
    component: "redis",
    image,
    // The password comes from the environment, so it is not on the command line.
    cmd: ["sh", "-c", 'exec redis-server --requirepass "$REDIS_PASSWORD"'],
    env: { REDIS_PASSWORD: password },
    networks: ["internal"],
    mounts: [{ volume: "redis", target: "/data" }],
    health: {
      test: ["CMD-SHELL", 'redis-cli -a "$REDIS_PASSWORD" --no-auth-warning ping | grep -q PONG'],
      startPeriodSeconds: 30,
    },
    stage: 0,
    share,
    pidsLimit: 128,
    stopTimeoutSeconds: 15,
  };
}

function httpHealth(port: number, path: string, startPeriodSeconds: number) {
  return {
    test: ["CMD-SHELL", `curl -s --noproxy localhost localhost:${port}${path} | grep -q 'OK' || exit 1`],
    startPeriodSeconds,
  };
}

export function mastodonTemplate(input: TemplateInput): TenantTemplate {
  const env = sharedEnv(input);
  const { images, secrets } = input;
  const streamingImage = images.streaming ?? images.app;
  return {
    volumes: ["db", "redis", "media"],
    components: [
      postgres(images.db, "mastodon", secrets.dbPassword, { memory: 0.2, cpu: 0.2 }),
      redis(images.redis, secrets.redisPassword, { memory: 0.1, cpu: 0.1 }),
      {
        component: "migrate",
        image: images.app,
        cmd: ["bundle", "exec", "rails", "db:prepare"],
        env,
        networks: ["internal"],
        mounts: [],
        oneShot: true,
        stage: 1,
        // Runs alone before web starts, so it may use web's share.
        share: { memory: 0.35, cpu: 0.35 },
        pidsLimit: 512,
        stopTimeoutSeconds: 30,
      },
      {
        component: "web",
        image: images.app,
        cmd: ["bundle", "exec", "puma", "-C", "config/puma.rb"],
        env: { ...env, PORT: "3000", BIND: "0.0.0.0" },
        networks: ["internal", "tenant"],
        mounts: [{ volume: "media", target: MEDIA }],
        publish: [{ port: 3000, as: "web" }],
        health: httpHealth(3000, "/health", 180),
        stage: 2,
        share: { memory: 0.35, cpu: 0.35 },
        pidsLimit: 1024,
        stopTimeoutSeconds: 30,
      },
      {
        component: "streaming",
        image: streamingImage,
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
      },
      {
        component: "sidekiq",
        image: images.app,
        cmd: ["bundle", "exec", "sidekiq"],
        env,
        networks: ["internal", "tenant"],
        mounts: [{ volume: "media", target: MEDIA }],
        // Upstream greps for its major version ("sidekiq 6"); any version keeps upgrades working.
        health: { test: ["CMD-SHELL", "ps aux | grep -q '[s]idekiq [0-9]' || exit 1"], startPeriodSeconds: 120 },
        stage: 2,
        share: { memory: 0.25, cpu: 0.25 },
        pidsLimit: 1024,
        stopTimeoutSeconds: 30,
      },
    ],
  };
}
