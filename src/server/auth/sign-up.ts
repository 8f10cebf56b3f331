import "server-only";
import { AppError } from "@/server/errors/app-error";
import { consume, minutesText } from "@/server/rate-limit/rate-limit";
import { db } from "@/server/db/client";
import { createUserIn } from "./create-user";
import { queueVerification } from "./email-verification";
import { SIGN_UP_PER_ADDRESS } from "./limits";
import { hashPassword } from "./password";
import type { SignUpInput } from "./schemas";

/** Creates a password account (addresses stored lowercased) and queues the mail that verifies its address. */
export async function signUp(input: SignUpInput, context: { address: string }) {
  const limited = await consume(SIGN_UP_PER_ADDRESS, context.address);
  if (!limited.allowed) {
    throw new AppError("RATE_LIMITED", `Too many new accounts from your network. Try again in ${minutesText(limited.retryAfterSeconds)}.`);
  }
  const passwordHash = await hashPassword(input.password);
  const user = await db.$transaction(async (tx) => {
    const created = await createUserIn(tx, { email: input.email, name: input.name, passwordHash });
    await queueVerification(tx, created);
    return created;
  });
  return { id: user.id, email: user.email, name: user.name };
}
