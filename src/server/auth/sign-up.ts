import "server-only";
import { AppError } from "@/server/errors/app-error";
import { consume, minutesText } from "@/server/rate-limit/rate-limit";
import { createUser } from "./create-user";
import { SIGN_UP_PER_ADDRESS } from "./limits";
import { hashPassword } from "./password";
import type { SignUpInput } from "./schemas";

/** Creates a password account. Email addresses are stored lowercased. */
export async function signUp(input: SignUpInput, context: { address: string }) {
  const limited = await consume(SIGN_UP_PER_ADDRESS, context.address);
  if (!limited.allowed) {
    throw new AppError("RATE_LIMITED", `Too many new accounts from your network. Try again in ${minutesText(limited.retryAfterSeconds)}.`);
  }
  const passwordHash = await hashPassword(input.password);
  const user = await createUser({ email: input.email, name: input.name, passwordHash });
  return { id: user.id, email: user.email, name: user.name };
}
