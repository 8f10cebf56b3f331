// A worker process killed (SIGKILL) in the middle of an event: the contribution already
// updated inside its transaction, the payment waiting for the community's funding row. Nothing
// of it commits; the next worker process completes the event, exactly once.
import { spawn, type ChildProcess } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { makeFundableCommunity, makePerson, sessionIdOf } from "@/server/funding/testing/fixtures";
import { postWebhook, sign, startFundingHarness, type FundingHarness } from "@/server/funding/testing/stripe-harness";
import { startContribution } from "@/server/funding/start-contribution";

let harness: FundingHarness;
const children: ChildProcess[] = [];
beforeAll(async () => {
  harness = await startFundingHarness();
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await harness.stop();
});

function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "src/server/billing/testing/event-worker-child.ts"], {
    env: { ...process.env, STRIPE_EMULATOR_URL: harness.emulator.url, STRIPE_SECRET_KEY: "", HEARTH_STRIPE_EVENT_CONCURRENCY: "2" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("stripe event worker ready")) resolve(child);
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`worker exited (${code}) before it was ready:\n${output}`)));
  });
}

it("completes an event exactly once after the worker is killed mid-event", { timeout: 120_000 }, async () => {
  harness.deliverWebhooks(false);
  const community = await makeFundableCommunity({ monthlyCost: 1000 });
  const before = new Set(harness.emulator.events().map((e) => e.id));
  const { url, contributionId } = await startContribution(await makePerson(), { community: community.slug, amount: "10", visibility: "anonymous" });
  await harness.control(`/checkout/${sessionIdOf(url)}/pay`);
  const paid = harness.emulator.events().find((e) => !before.has(e.id) && e.type === "invoice.paid")!;
  harness.deliverWebhooks(true);

  // Hold the community's funding row, so the worker's transaction stops halfway: the
  // contribution written, the payment about to be (it takes that row's lock first).
  await db.$executeRaw`INSERT INTO "CommunityFunding" ("communityId", "updatedAt") VALUES (${community.id}, now()) ON CONFLICT DO NOTHING`;
  const blocker = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await blocker.connect();
  await blocker.query("BEGIN");
  await blocker.query(`SELECT 1 FROM "CommunityFunding" WHERE "communityId" = $1 FOR UPDATE`, [community.id]);

  try {
    const first = await startWorker();
    const body = JSON.stringify(paid, null, 2);
    expect((await postWebhook(body, sign(body))).status).toBe(200);
    // The worker is inside the event: waiting for the funding row, the contribution written but not committed.
    await expect
      .poll(
        async () =>
          (
            await db.$queryRaw<{ n: bigint }[]>`
              SELECT count(*) AS n FROM pg_stat_activity a
              WHERE a.wait_event_type = 'Lock' AND a.query LIKE '%CommunityFunding%FOR UPDATE%' AND a.datname = current_database()
                -- and it has written the contribution in this transaction
                AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.relation = '"Contribution"'::regclass AND l.mode = 'RowExclusiveLock')`
          )[0]!.n,
        { timeout: 60_000, interval: 100 },
      )
      .toBe(1n);
    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    expect(await db.ledgerEntry.count({ where: { contributionId } })).toBe(0);
    expect(await db.contribution.findUniqueOrThrow({ where: { id: contributionId } })).toMatchObject({ status: "PENDING", stripeSubscriptionId: null });
    expect(await db.stripeEvent.findUniqueOrThrow({ where: { id: paid.id } })).toMatchObject({ processedAt: null, attempts: 0 });
  } finally {
    await blocker.query("COMMIT");
    await blocker.end();
  }

  const second = await startWorker();
  try {
    await expect
      .poll(async () => (await db.stripeEvent.findUniqueOrThrow({ where: { id: paid.id } })).processedAt, { timeout: 60_000, interval: 200 })
      .not.toBeNull();
  } finally {
    second.kill("SIGTERM");
    await new Promise((resolve) => second.once("exit", resolve));
  }
  expect(await db.stripeEvent.findUniqueOrThrow({ where: { id: paid.id } })).toMatchObject({ attempts: 1, lastError: null, deadAt: null });
  expect(await db.ledgerEntry.count({ where: { contributionId, kind: "PAYMENT" } })).toBe(1);
  expect(await db.fundingTransition.count({ where: { communityId: community.id } })).toBe(1);
  expect((await db.communityFunding.findUniqueOrThrow({ where: { communityId: community.id } })).state).toBe("FUNDED");
});
