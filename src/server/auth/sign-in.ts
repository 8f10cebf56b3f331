import "server-only";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { consume, hashedKey, minutesText, release, reset } from "@/server/rate-limit/rate-limit";
import { SIGN_IN_PER_ACCOUNT, SIGN_IN_PER_ADDRESS, SIGN_IN_PER_PAIR } from "./limits";
import { verifyPassword } from "./password";
import type { SignInInput } from "./schemas";
import { knownAddress } from "./sessions";

// One message for an unknown email, a wrong password and an account without a password.
export const WRONG_CREDENTIALS = "Email or password is wrong.";

function tooMany(seconds: number) {
  return new AppError("RATE_LIMITED", `Too many failed sign-ins. Try again in ${minutesText(seconds)}.`);
}

/**
 * Checks an email and password. Every attempt is counted before the password is looked at:
 * against the client address (spraying), the account+address pair (guessing, with a growing
 * delay) and, from addresses the account never signed in from, the account (guessing from
 * many addresses). A right answer takes its counts back and clears the pair's failures, so
 * the owner at a familiar address is never locked out by someone else's guesses.
 */
export async function verifyCredentials(input: SignInInput, context: { address: string }) {
  const accountKey = hashedKey(input.email);
  const taken: bigint[] = [];
  const giveBack = () => Promise.all(taken.map((id) => release(id)));
  const step = async (limit: typeof SIGN_IN_PER_PAIR, key: string) => {
    const result = await consume(limit, key);
    if (!result.allowed) {
      await giveBack();
      throw tooMany(result.retryAfterSeconds);
    }
    taken.push(result.hitId);
  };

  await step(SIGN_IN_PER_ADDRESS, context.address);
  const pairKey = `${accountKey}:${context.address}`;
  await step(SIGN_IN_PER_PAIR, pairKey);
  const user = await db.user.findUnique({
    where: { email: input.email },
    select: { id: true, email: true, name: true, passwordHash: true },
  });
  if (!user || !(await knownAddress(user.id, context.address))) await step(SIGN_IN_PER_ACCOUNT, accountKey);

  if (!(await verifyPassword(user?.passwordHash, input.password)) || !user) {
    throw new AppError("UNAUTHENTICATED", WRONG_CREDENTIALS);
  }
  await giveBack();
  await reset(SIGN_IN_PER_PAIR, pairKey);
  return { id: user.id, email: user.email, name: user.name };
}
