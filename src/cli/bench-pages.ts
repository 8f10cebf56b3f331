// `npm run bench:pages`: how the public and organiser pages do, as `npm start` serves them.
// A fresh database (embedded PostgreSQL unless TEST_DATABASE_SERVER_URL is set) gets a
// community with forty supporters, an organiser and a visitor; the run command serves the
// production build on it (PORT, default 3000). Then:
// 1. Lighthouse (npm `lighthouse`, driving Debian's Chromium at CHROME_PATH, default
//    /usr/bin/chromium), mobile and desktop presets, median of --runs (default 3), on /,
//    /sign-up, /c/<slug>, /c/<slug>/contribute (the visitor) and /dashboard/<slug> (the organiser);
// 2. --clients (default 20) concurrent clients on the anonymous public page and on the dynamic
//    404 page (--requests each, default 2000), that of an unknown community (measured before
//    and after the public page, averaged) and that of an unknown route: p50, p95, requests/s,
//    and the ratios;
// 3. a soak (--soak total requests, default 50000; 0 skips it) over those pages, printing the
//    web process's RSS (with its children) after 5,000 requests and at the end.
// --no-lighthouse skips step 1; --pages /,/sign-up limits it to those pages (names as printed);
// --preset mobile|desktop to one preset; --lhr DIR writes every Lighthouse report there (JSON:
// the audits behind a score); --requests 0 skips step 2, --soak 0 step 3.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { createTestDatabase, dropTestDatabase, startTestServer } from "./test-database";

const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const RUNS = arg("runs", 3);
const CLIENTS = arg("clients", 20);
const REQUESTS = arg("requests", 2000);
const SOAK = arg("soak", 50_000);
const LIGHTHOUSE = !process.argv.includes("--no-lighthouse");
const PORT = Number(process.env.PORT ?? 3000);
const BASE = `http://127.0.0.1:${PORT}`;
const CHROME = process.env.CHROME_PATH ?? "/usr/bin/chromium";
const option = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
};
const ONLY_PAGES = option("pages")?.split(",");
const PRESETS = (option("preset") ? [option("preset")] : ["mobile", "desktop"]) as ("mobile" | "desktop")[];
const LHR_DIR = option("lhr");

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

/** RSS in MB of a process and all its descendants, from /proc. */
function treeRssMb(root: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone
    }
  }
  let kb = 0;
  const visit = (pid: number) => {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      return;
    }
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return kb / 1024;
}

async function load(paths: { path: string; cookie?: string }[], total: number, clients: number) {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total) {
        const target = paths[next++ % paths.length]!;
        const t0 = performance.now();
        const response = await fetch(BASE + target.path, { headers: target.cookie ? { cookie: target.cookie } : {}, redirect: "manual" });
        await response.arrayBuffer();
        latencies.push(performance.now() - t0);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), rate: total / seconds, statuses };
}

type Scores = { performance: number; accessibility: number; bestPractices: number; tbt: number; scriptKb: number };

async function lighthouseRuns(url: string, preset: "mobile" | "desktop", cookie?: string): Promise<Scores[]> {
  const { launch } = await import("chrome-launcher");
  const lighthouse = (await import("lighthouse")).default;
  const desktop = (await import("lighthouse/core/config/desktop-config.js")).default;
  const results: Scores[] = [];
  // A run Lighthouse could not complete (lhr.runtimeError: the page did not paint in time, the
  // browser lost the target) has no score: it is reported and run again, never counted as 0.
  let failed = 0;
  for (let i = 0; results.length < RUNS; i++) {
    if (failed > RUNS) throw new Error(`Lighthouse failed ${failed} times on ${url} (${preset})`);
    const chrome = await launch({
      chromePath: CHROME,
      chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    try {
      const result = await lighthouse(
        url,
        { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance", "accessibility", "best-practices"], ...(cookie ? { extraHeaders: { cookie } } : {}) },
        preset === "desktop" ? desktop : undefined,
      );
      const lhr = result!.lhr;
      if (lhr.runtimeError) {
        failed += 1;
        console.log(`  (${preset} ${new URL(url).pathname}: Lighthouse run failed, ${lhr.runtimeError.code}: ${lhr.runtimeError.message}; run again)`);
        continue;
      }
      if (LHR_DIR) {
        mkdirSync(LHR_DIR, { recursive: true });
        writeFileSync(resolve(LHR_DIR, `${preset}-${new URL(url).pathname.replace(/[^a-z0-9]+/gi, "_")}-${i + 1}.json`), JSON.stringify(lhr, null, 1));
      }
      const scripts = (lhr.audits["resource-summary"]?.details as { items?: { resourceType: string; transferSize: number }[] } | undefined)?.items?.find((item) => item.resourceType === "script");
      results.push({
        performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
        accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
        bestPractices: Math.round((lhr.categories["best-practices"]?.score ?? 0) * 100),
        tbt: lhr.audits["total-blocking-time"]?.numericValue ?? 0,
        scriptKb: (scripts?.transferSize ?? 0) / 1024,
      });
    } finally {
      chrome.kill();
    }
  }
  return results;
}

async function main() {
  const server = await startTestServer();
  const databaseUrl = await createTestDatabase(server.serverUrl, "hearth_bench_pages");
  const secret = randomBytes(32).toString("base64url");
  Object.assign(process.env, { DATABASE_URL: databaseUrl, NEXTAUTH_SECRET: secret, NEXTAUTH_URL: BASE });
  const { db } = await import("@/server/db/client");
  const { seedPlans } = await import("@/server/plans/seed-plans");
  const { createCommunity } = await import("@/server/communities/create-community");
  const { encodeSession, sessionCookie } = await import("@/server/auth/session-cookie");
  const { createUserSession } = await import("@/server/auth/sessions");
  let app: ChildProcess | undefined;
  try {
    // ---- data ----
    await seedPlans();
    const plan = await db.plan.findFirstOrThrow({ where: { slug: "small" } });
    const person = (name: string) =>
      db.user.create({
        data: { email: `${randomBytes(5).toString("hex")}@bench.test`, name, emailVerified: new Date() },
        select: { id: true, email: true, name: true, isHostAdmin: true },
      });
    const organiser = await person("Organiser");
    const visitor = await person("Visitor");
    const slug = "bench-town";
    const community = await createCommunity(organiser, {
      address: slug,
      name: "Bench Town",
      description: "A town for benchmarks.\n\nIt has a description of two paragraphs, as most communities do.",
      rules: "Be kind.\nNo spam.",
      software: "MASTODON",
      planId: plan.id,
    });
    for (let i = 0; i < 40; i++) {
      const supporter = await person(`Supporter ${i}`);
      const contribution = await db.contribution.create({
        data: {
          communityId: community.id,
          userId: supporter.id,
          stripeCustomerId: `cus_bench${i}`,
          stripeSubscriptionId: `sub_bench${i}`,
          status: "ACTIVE",
          amount: 300 + 100 * (i % 5),
          currency: "eur",
          isPublic: i % 3 !== 0,
          publicName: `Supporter ${i}`,
          message: i % 4 === 0 ? "Glad to help." : null,
          currentPeriodEnd: new Date(Date.now() + 20 * 86_400_000),
        },
      });
      await db.ledgerEntry.create({
        data: {
          communityId: community.id,
          contributionId: contribution.id,
          kind: "PAYMENT",
          amount: contribution.amount,
          currency: "eur",
          stripeInvoiceId: `in_bench${i}`,
          periodStart: new Date(Date.now() - 10 * 86_400_000),
          periodEnd: new Date(Date.now() + 20 * 86_400_000),
          occurredAt: new Date(Date.now() - 10 * 86_400_000),
        },
      });
    }
    const cookieOf = async (user: { id: string; email: string; name: string | null }) => {
      const sessionId = await createUserSession(user.id, { method: "bench", address: "127.0.0.1", userAgent: "bench:pages" });
      return `${sessionCookie().name}=${await encodeSession(user, sessionId)}`;
    };
    const organiserCookie = await cookieOf(organiser);
    const visitorCookie = await cookieOf(visitor);
    await db.$disconnect();

    // ---- the app, as `npm start` runs it ----
    // Without the ingress: the pages measured are Hearth's own, and an ingress container made for
    // this run would outlive it on the engine.
    app = spawn(process.execPath, ["--import", "tsx", "src/cli/run.ts"], {
      env: {
        ...process.env,
        PORT: String(PORT),
        HEARTH_DATA_DIR: resolve(".hearth/bench-pages"),
        NODE_ENV: "production",
        HEARTH_PAYMENTS: "emulator",
        HEARTH_INGRESS: "off",
        NEXT_TELEMETRY_DISABLED: "1",
      },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    app.stdout!.on("data", (c: Buffer) => (output += c.toString()));
    app.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    for (const end = Date.now() + 600_000; !output.includes("Hearth is running"); await new Promise((r) => setTimeout(r, 200))) {
      if (app.exitCode !== null || Date.now() > end) throw new Error(`the app did not start:\n${output}`);
    }
    // The run command starts the web app first: the first pid it records.
    const webPid = Number(readFileSync(resolve(".hearth/bench-pages/run.pids"), "utf8").split("\n")[0]);

    const pages = [
      { name: "/", path: "/" },
      { name: "/sign-up", path: "/sign-up" },
      { name: "/c/<slug>", path: `/c/${slug}` },
      { name: "/c/<slug>/contribute", path: `/c/${slug}/contribute`, cookie: visitorCookie },
      { name: "/dashboard/<slug>", path: `/dashboard/${slug}`, cookie: organiserCookie },
    ];
    for (const page of pages) {
      const response = await fetch(BASE + page.path, { headers: page.cookie ? { cookie: page.cookie } : {}, redirect: "manual" });
      if (response.status !== 200) throw new Error(`${page.path} answered ${response.status}`);
      await response.arrayBuffer();
    }

    // ---- Lighthouse ----
    if (LIGHTHOUSE) {
      console.log(`\nLighthouse (median of ${RUNS}; performance / accessibility / best practices; total blocking time; script transferred)`);
      for (const preset of PRESETS) {
        for (const page of pages.filter((p) => !ONLY_PAGES || ONLY_PAGES.includes(p.name))) {
          const runs = await lighthouseRuns(BASE + page.path, preset, page.cookie);
          const m = (key: keyof Scores) => median(runs.map((r) => r[key]));
          console.log(
            `  ${preset.padEnd(7)} ${page.name.padEnd(22)} ${String(m("performance")).padStart(3)} / ${String(m("accessibility")).padStart(3)} / ${String(m("bestPractices")).padStart(3)}   TBT ${m("tbt").toFixed(0)} ms   JS ${m("scriptKb").toFixed(0)} KB   (performance runs: ${runs.map((r) => r.performance).join(", ")})`,
          );
        }
      }
    }

    // ---- concurrent clients: the public page against the dynamic 404 ----
    const notFound = { path: "/c/no-such-community-here" };
    const publicPage = { path: `/c/${slug}` };
    if (REQUESTS > 0) {
      await load([notFound, publicPage], 200, CLIENTS); // warm both
      const missing = await load([notFound], REQUESTS, CLIENTS);
      const publicRun = await load([publicPage], REQUESTS, CLIENTS);
      const missing2 = await load([notFound], REQUESTS, CLIENTS);
      const baseline = { p50: (missing.p50 + missing2.p50) / 2, p95: (missing.p95 + missing2.p95) / 2, rate: (missing.rate + missing2.rate) / 2 };
      // The 404 of an address no route knows: no database read at all.
      const unrouted = await load([{ path: "/no-such-page/at-all" }], REQUESTS, CLIENTS);
      const fmt = (r: { p50: number; p95: number; rate: number }) => `p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, ${r.rate.toFixed(0)} requests/s`;
      console.log(`\n${CLIENTS} concurrent clients, ${REQUESTS} requests each:`);
      console.log(`  404 page (before and after, averaged): ${fmt(baseline)}  [statuses ${[...missing.statuses].map(([s, n]) => `${s}x${n}`).join(" ")}]`);
      console.log(`  public page /c/<slug> (anonymous):      ${fmt(publicRun)}  [statuses ${[...publicRun.statuses].map(([s, n]) => `${s}x${n}`).join(" ")}]`);
      console.log(`  404 of an unknown route (no database read): ${fmt(unrouted)}`);
      console.log(`  ratio public/404: p50 ${(publicRun.p50 / baseline.p50).toFixed(2)}x (target 1.5x or less), requests/s ${(publicRun.rate / baseline.rate).toFixed(2)}x`);
      console.log(`  ratio public/404 of an unknown route: p50 ${(publicRun.p50 / unrouted.p50).toFixed(2)}x, requests/s ${(publicRun.rate / unrouted.rate).toFixed(2)}x`);
    }

    // ---- soak ----
    if (SOAK > 0) {
      const mix = [publicPage, notFound, { path: "/" }, { path: `/c/${slug}/contribute`, cookie: visitorCookie }, { path: `/dashboard/${slug}`, cookie: organiserCookie }];
      const at = (label: string) => console.log(`  RSS of the web process after ${label}: ${treeRssMb(webPid).toFixed(0)} MB`);
      console.log(`\nsoak: ${SOAK} requests over ${mix.length} pages, ${CLIENTS} clients (web pid ${webPid})`);
      at("start-up and the steps above");
      await load(mix, 5_000, CLIENTS);
      const early = treeRssMb(webPid);
      at("5,000 soak requests");
      await load(mix, SOAK - 5_000, CLIENTS);
      const late = treeRssMb(webPid);
      at(`${SOAK.toLocaleString("en")} soak requests`);
      console.log(`  ratio: ${(late / early).toFixed(2)}x (target 1.3x or less)`);
    }
  } finally {
    if (app && app.exitCode === null) {
      const exited = new Promise((r) => app!.once("exit", r));
      process.kill(-app.pid!, "SIGINT");
      await exited;
    }
    await dropTestDatabase(databaseUrl).catch(() => {});
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
