// The funding clock: the time hosting months and grace periods are measured against. Tests
// move it forward to play out months and grace periods that Stripe's own timestamps (and
// the emulator's) never reach; nothing else may.
let offsetMs = 0;

export function fundingNow(): Date {
  return new Date(Date.now() + offsetMs);
}

/** Tests only: shifts the funding clock (and only it) by `ms` from real time. */
export function setFundingClockOffset(ms: number): void {
  if (process.env.NODE_ENV !== "test") throw new Error("the funding clock can only be moved in tests");
  offsetMs = ms;
}
