// The limits on account operations, in one place.
import type { Limit } from "@/server/rate-limit/rate-limit";

/** Failed sign-ins per account (keyed by the hashed email, whether or not the account exists). */
export const SIGN_IN_PER_ACCOUNT: Limit = { bucket: "sign-in:account", max: 5, windowSeconds: 15 * 60 };
/** Failed sign-ins per client address, across all accounts. */
export const SIGN_IN_PER_ADDRESS: Limit = { bucket: "sign-in:address", max: 30, windowSeconds: 15 * 60 };
/** New accounts per client address; generous, since a meetup behind one NAT address may sign up together. */
export const SIGN_UP_PER_ADDRESS: Limit = { bucket: "sign-up:address", max: 30, windowSeconds: 60 * 60 };
