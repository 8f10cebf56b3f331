// A Stripe event thread entry for stripe-event-thread.test.ts: the first time it starts it ends
// at once (as a thread that crashed does); the next time it runs until told to stop. Counts its
// starts in the file named by HEARTH_TEST_THREAD_STARTS.
import { appendFileSync, readFileSync } from "node:fs";
import { parentPort } from "node:worker_threads";

const file = process.env.HEARTH_TEST_THREAD_STARTS!;
appendFileSync(file, "start\n");
if (readFileSync(file, "utf8").split("\n").filter(Boolean).length === 1) process.exit(1);
const alive = setInterval(() => {}, 1_000);
parentPort!.on("message", (message: { kind: string }) => {
  if (message.kind === "stop") {
    clearInterval(alive);
    process.exit(0);
  }
});
parentPort!.postMessage({ kind: "ready" });
