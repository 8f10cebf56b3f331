// The http domain's public entry (ARCHITECTURE.md, "Layers"): request body limits for route
// handlers, for domains that read a request themselves (billing's Stripe webhook).
export { readBodyLimited, payloadTooLarge } from "./body-limit";
