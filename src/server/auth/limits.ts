// The limits on account operations, in one place. Sign-in limits are built so that an
// attacker cannot use them to lock the owner out: the tight limit is per account AND address,
// the per-account limit is slow and spares addresses the account signed in from before.
import type { Limit } from "@/server/rate-limit/rate-limit";

/** Failed attempts of one account+address pair that get no delay. */
export const FREE_FAILURES = 3;

/** Progressive delay after the free failures: 5 s, 10 s, 20 s, 40 s, then 60 s between tries. */
export function signInDelaySeconds(failures: number): number {
  return failures < FREE_FAILURES ? 0 : Math.min(60, 5 * 2 ** (failures - FREE_FAILURES));
}

/** Failed sign-ins per account from one client address, with the progressive delay. */
export const SIGN_IN_PER_PAIR: Limit = { bucket: "sign-in:pair", max: 10, windowSeconds: 15 * 60, delaySeconds: signInDelaySeconds };
/**
 * Failed sign-ins per account (hashed email, known or not) from addresses it has not signed
 * in from within 30 days: slow, for guessing spread over many addresses.
 */
export const SIGN_IN_PER_ACCOUNT: Limit = { bucket: "sign-in:account", max: 50, windowSeconds: 60 * 60 };
/** Failed sign-ins per client address, across all accounts (password spraying). */
export const SIGN_IN_PER_ADDRESS: Limit = { bucket: "sign-in:address", max: 30, windowSeconds: 15 * 60 };
/** New accounts per client address; generous, since a meetup behind one NAT address may sign up together. */
export const SIGN_UP_PER_ADDRESS: Limit = { bucket: "sign-up:address", max: 30, windowSeconds: 60 * 60 };
/** Wrong current passwords (password change) and second-factor codes per account. */
export const REAUTH_PER_ACCOUNT: Limit = { bucket: "reauth:account", max: 10, windowSeconds: 15 * 60, delaySeconds: signInDelaySeconds };
