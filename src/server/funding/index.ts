// Funding's public entry: what other domains may use. Billing (src/server/billing) is
// funding's Stripe side: the two use each other's files directly; everyone else comes here.
export {
  fundingAllowsRunning,
  hasMoneyRecords,
  runwayOf,
  tenantFunding,
  type TenantFunding,
} from "./tenant-funding";
