import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { recordAudit } from "@/server/audit/record-audit";

export type NewUser = {
  email: string;
  name?: string | null;
  passwordHash?: string | null;
  image?: string | null;
  emailVerified?: Date | null;
};

const FIRST_USER_LOCK = 7_311_001; // advisory lock id: one "who is first?" decision at a time

/** Creates a user inside `tx`; the very first account of a Hearth becomes its host admin. */
export async function createUserIn(tx: Prisma.TransactionClient, input: NewUser) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FIRST_USER_LOCK})`;
  const anyone = await tx.user.findFirst({ select: { id: true } });
  const email = input.email.trim().toLowerCase();
  if (await tx.user.findUnique({ where: { email }, select: { id: true } })) {
    throw new AppError("CONFLICT", "An account with this email already exists.", {
      email: "An account with this email already exists. Sign in instead.",
    });
  }
  const user = await tx.user.create({
    data: {
      email,
      name: input.name ?? null,
      passwordHash: input.passwordHash ?? null,
      image: input.image ?? null,
      emailVerified: input.emailVerified ?? null,
      isHostAdmin: anyone === null,
    },
  });
  await recordAudit(tx, { actorId: user.id, action: "user.created", data: { hostAdmin: user.isHostAdmin } });
  return user;
}

export function createUser(input: NewUser) {
  return db.$transaction((tx) => createUserIn(tx, input));
}
