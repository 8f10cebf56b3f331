// Worker counts and threads sized to the memory a plan gives each process, so the app is not
// killed for memory the plan never had. Upstream's defaults assume a whole server: Mastodon's puma
// forks 2 workers of 5 threads (config/puma.rb: WEB_CONCURRENCY, MAX_THREADS), each worker several
// hundred MB; sidekiq runs 5 threads (config/sidekiq.yml); Misskey forks one worker per CPU
// (clusterLimit in default.yml). The figures below are what those processes use at rest on a
// small instance, with the Ruby and Node heaps they start with; they err on the generous side.
import type { TemplateInput } from "./types";

type Plan = TemplateInput["plan"];

/** Memory shares of the processes that are sized (the same shares as the templates' limits). */
export const SHARE = { mastodonWeb: 0.35, mastodonSidekiq: 0.25, misskeyWeb: 0.6 } as const;

const PUMA_MASTER_MB = 120;
const pumaWorkerMb = (threads: number) => 300 + 10 * threads;
const SIDEKIQ_BASE_MB = 250;
const SIDEKIQ_THREAD_MB = 15;
const MISSKEY_PRIMARY_MB = 200;
const MISSKEY_WORKER_MB = 300;

const cpus = (plan: Plan) => Math.max(1, Math.ceil(plan.cpuMillis / 1000));

export type PumaSize = { webConcurrency: number; maxThreads: number };

/**
 * puma's workers and threads. Fewer than two workers fit: single mode (WEB_CONCURRENCY=0), one
 * process without a master, which is what puma's docs advise for small memory.
 */
export function pumaSize(plan: Plan): PumaSize {
  const mb = Math.floor(plan.memoryMb * SHARE.mastodonWeb);
  const maxThreads = mb < 600 ? 3 : 5;
  const workers = Math.floor((mb - PUMA_MASTER_MB) / pumaWorkerMb(maxThreads));
  return { webConcurrency: workers < 2 ? 0 : Math.min(workers, Math.max(2, 2 * cpus(plan)), 8), maxThreads };
}

/** sidekiq's concurrency (threads); Mastodon's database pool follows it (config/database.yml). */
export function sidekiqConcurrency(plan: Plan): number {
  const mb = Math.floor(plan.memoryMb * SHARE.mastodonSidekiq);
  return Math.max(2, Math.min(25, Math.floor((mb - SIDEKIQ_BASE_MB) / SIDEKIQ_THREAD_MB)));
}

/** Misskey's and Sharkey's worker processes: what fits beside the primary, at most one per CPU. */
export function misskeyClusterLimit(plan: Plan): number {
  const mb = Math.floor(plan.memoryMb * SHARE.misskeyWeb);
  return Math.max(1, Math.min(cpus(plan), Math.floor((mb - MISSKEY_PRIMARY_MB) / MISSKEY_WORKER_MB)));
}
