// The shape of a tenant template: data that says which containers, networks and volumes make
// up one instance. The reconcile steps turn it into Docker objects; nothing here talks to Docker.
import type { InstanceImages } from "@/server/config/images";
import type { TenantSecrets } from "../secrets";

export type NetworkRole = "internal" | "tenant";

export type HealthCheck = {
  /** Docker's Test array, e.g. ["CMD", "pg_isready", "-U", "mastodon"]. */
  test: string[];
  /** Failures during this period do not count (slow first boots, migrations). */
  startPeriodSeconds: number;
  timeoutSeconds?: number;
  retries?: number;
};

export type ComponentSpec = {
  /** Label value and name suffix: db, redis, migrate, web, streaming, sidekiq. */
  component: string;
  image: string;
  cmd?: string[];
  env: Record<string, string>;
  /** The first network is attached at create, the others before start. */
  networks: NetworkRole[];
  /**
   * Volume role -> mount path. `owner`: the user the app runs as, who must own the volume's root
   * before the first start (a fresh named volume is root's; see the volumes step).
   */
  mounts: { volume: string; target: string; readOnly?: boolean; owner?: { uid: number; gid: number } }[];
  /** Files written into the container (putArchive) before it first starts. */
  files?: { path: string; content: string; mode: number; uid?: number; gid?: number }[];
  /** Container ports published on HEARTH_PUBLISH_IP with an ephemeral host port. */
  publish?: { port: number; as: "web" | "streaming" }[];
  health?: HealthCheck;
  /** Runs to completion (exit 0) instead of staying up, e.g. database migrations. */
  oneShot?: boolean;
  /** Start order: lower stages are up (healthy, or exited 0) before the next starts. */
  stage: number;
  /** Share of the plan's memory and CPU; long-running shares add up to 1. */
  share: { memory: number; cpu: number };
  pidsLimit: number;
  shmSizeMb?: number;
  /**
   * Linux capabilities added back after dropping all of them: only what the image's own start
   * needs (an entrypoint that starts as root to chown its data and drop to its user).
   */
  capAdd: string[];
  /** The root file system is read-only; the software writes only to its volumes and `tmpfs`. */
  readOnlyRoot: boolean;
  /** Scratch folders on tmpfs (path -> mount options), for a read-only root. */
  tmpfs?: Record<string, string>;
  stopTimeoutSeconds: number;
};

export type TenantTemplate = {
  volumes: string[];
  components: ComponentSpec[];
};

export type TemplateInput = {
  slug: string;
  /** The plan's limits, which size worker counts and threads to the memory the app gets. */
  plan: { memoryMb: number; cpuMillis: number };
  /** The instance's permanent domain (LOCAL_DOMAIN, Misskey url). */
  domain: string;
  images: InstanceImages;
  secrets: TenantSecrets;
  healthIntervalSeconds: number;
  /** The host's relay for instances with this instance's sender, or null: no mail. */
  mail?: InstanceMailSettings | null;
  /** The network a Bluesky PDS joins (HEARTH_PDS_*); only its template reads it. */
  pds?: PdsNetworkSettings;
  /** Bluesky PDS: anyone may sign up (the organiser's setting); otherwise an invite is needed. */
  openSignUp?: boolean;
};

/** Where a PDS registers DIDs, whom it proxies reads and reports to, which relays it announces itself to. */
export type PdsNetworkSettings = {
  plcUrl: string;
  appViewUrl: string;
  appViewDid: string;
  reportServiceUrl: string;
  reportServiceDid: string;
  crawlers: string[];
  /** Tests only: plain-http private addresses (a local directory) are allowed. */
  disableSsrfProtection: boolean;
};

/** SMTP settings an instance gets (src/server/mail/instance-mail.ts makes them). */
export type InstanceMailSettings = {
  host: string;
  port: number;
  tls: "auto" | "starttls" | "tls" | "none";
  user: string | null;
  password: string | null;
  from: string;
};

export type { InstanceImages };
