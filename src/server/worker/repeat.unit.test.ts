// The periodic-job helper on a fake clock: runs never overlap, failures are logged and do not stop
// the loop, stop() waits for the run in progress and nothing runs after it.
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { repeat } from "./repeat";

beforeEach(() => {
  vi.useFakeTimers();
  vi.spyOn(process.stderr, "write").mockImplementation(() => true);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

it("runs at once, then every interval after each run settles; a failure is logged and the loop goes on", async () => {
  const starts: number[] = [];
  let calls = 0;
  const job = repeat("test job", async () => {
    starts.push(Date.now());
    calls += 1;
    if (calls === 2) throw new Error("boom");
    await new Promise((resolve) => setTimeout(resolve, 300)); // a run that takes a while
  }, { everyMs: () => 1_000 });
  const t0 = starts[0]!;
  await vi.advanceTimersByTimeAsync(1_300); // first run ends at 300, second starts at 1,300 and fails
  await vi.advanceTimersByTimeAsync(1_000); // third starts at 2,300
  expect(starts.map((t) => t - t0)).toEqual([0, 1_300, 2_300]);
  expect(vi.mocked(process.stderr.write).mock.calls.map(([line]) => JSON.parse(String(line)))).toEqual([
    expect.objectContaining({ level: "error", message: "test job failed", error: expect.objectContaining({ message: "boom" }) }),
  ]);
  const stopping = job.stop(); // the third run is still in progress
  await vi.advanceTimersByTimeAsync(300);
  await stopping;
});

it("with fixedPeriod, starts a run every period when runs are quicker than it, and at once after one that overran", async () => {
  const starts: number[] = [];
  const lengths = [300, 1_500, 200];
  const job = repeat("sampler", async () => {
    starts.push(Date.now());
    await new Promise((resolve) => setTimeout(resolve, lengths[starts.length - 1] ?? 0));
  }, { everyMs: () => 1_000, fixedPeriod: true });
  const t0 = starts[0]!;
  // 0 (300 ms), 1,000 (1,500 ms: overruns), then at once (a timer of 0 fires a millisecond later)
  await vi.advanceTimersByTimeAsync(2_501);
  expect(starts.map((t) => t - t0)).toEqual([0, 1_000, 2_501]);
  await vi.advanceTimersByTimeAsync(1_000); // the next one a period after that
  expect(starts.map((t) => t - t0)).toEqual([0, 1_000, 2_501, 3_501]);
  const stopping = job.stop(); // the fourth run is still in progress
  await vi.advanceTimersByTimeAsync(1);
  await stopping;
});

it("waits firstAfterMs before the first run", async () => {
  const task = vi.fn(async () => {});
  const job = repeat("late job", task, { everyMs: () => 1_000, firstAfterMs: 60_000 });
  await vi.advanceTimersByTimeAsync(59_999);
  expect(task).not.toHaveBeenCalled();
  await vi.advanceTimersByTimeAsync(1);
  expect(task).toHaveBeenCalledTimes(1);
  await job.stop();
});

it("stop() waits for the run in progress, and nothing runs after it", async () => {
  let finished = false;
  const task = vi.fn(async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    finished = true;
  });
  const job = repeat("slow job", task, { everyMs: () => 10 });
  const stopping = job.stop();
  await vi.advanceTimersByTimeAsync(500);
  await stopping;
  expect(finished).toBe(true);
  await vi.advanceTimersByTimeAsync(10_000);
  expect(task).toHaveBeenCalledTimes(1);
});

it("stop() gives up waiting after stopWaitMs for a run that hangs", async () => {
  const job = repeat("stuck job", () => new Promise(() => {}), { everyMs: () => 10, stopWaitMs: 5_000 });
  let stopped = false;
  void job.stop().then(() => (stopped = true));
  await vi.advanceTimersByTimeAsync(4_999);
  expect(stopped).toBe(false);
  await vi.advanceTimersByTimeAsync(1);
  expect(stopped).toBe(true);
});
