// The Stripe event thread's supervision: a thread that ends on its own is started again, and
// stop() ends it for good.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { RESTART_MS, startStripeEventThread } from "./stripe-event-thread";

it("starts the thread again when it ends, and stop() ends it for good", { timeout: 30_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "hearth-thread-"));
  const starts = join(dir, "starts");
  process.env.HEARTH_TEST_THREAD_STARTS = starts;
  try {
    const thread = startStripeEventThread(new URL("./testing/thread-ends-once.ts", import.meta.url));
    await thread.ready; // only the second start says it is ready
    expect(readFileSync(starts, "utf8")).toBe("start\nstart\n");
    await thread.stop();
    // Stopped: not started again, however long one waits past the restart delay.
    await new Promise((resolve) => setTimeout(resolve, RESTART_MS + 500));
    expect(readFileSync(starts, "utf8")).toBe("start\nstart\n");
  } finally {
    delete process.env.HEARTH_TEST_THREAD_STARTS;
    rmSync(dir, { recursive: true, force: true });
  }
});
