// The http domain's public entry (ARCHITECTURE.md, "Layers"): request body limits for route
// handlers, for domains that read a request themselves (billing's Stripe webhook, the move-in upload).
export { limitBodyStream, readBodyLimited, payloadTooLarge, refuseBody } from "./body-limit";
