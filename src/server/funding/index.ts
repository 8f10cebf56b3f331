// Funding's public entry: what other domains may use. Billing (src/server/billing) is
// funding's Stripe side: the two use each other's files directly; everyone else comes here.
export {
  fundingAllowsRunning,
  tenantFunding,
  type TenantFunding,
} from "./tenant-funding";
export { advanceDemoClock, demoClockSchema } from "./demo-clock";
export { fundingNow } from "./clock";
export { coverage } from "./coverage";
export { evaluateFunding } from "./evaluate-funding";
export { settleClosedCommunity } from "./settle-closed-community";
export { SUPPORTING } from "./notify";
export { deliverInstanceRequests } from "./instance-hooks";
