// The organiser sees the admin account's password exactly once: the first call returns it and,
// in the same transaction, marks it shown and erases the stored copy. It takes the
// instance.credentials permission (the owner's), checked in the query itself; someone who may
// not read the community gets "not found", someone who may read it but not this "forbidden".
import "server-only";
import { communityWhere, NOT_FOUND_MESSAGE } from "@/server/auth/community-access";
import type { Actor } from "@/server/auth/permissions";
import { db } from "@/server/db/client";
import { unseal } from "@/server/crypto/seal";
import { AppError } from "@/server/errors/app-error";
import { passwordContext } from "./admin-account";

export type AdminCredentials = { username: string; email: string; password: string };

export async function revealAdminCredentials(communityId: string, actor: Actor): Promise<AdminCredentials> {
  const readable = await db.community.count({ where: { id: communityId, ...communityWhere(actor, "community.read") } });
  if (!readable) throw new AppError("NOT_FOUND", NOT_FOUND_MESSAGE);
  return db.$transaction(async (tx) => {
    const allowed = await tx.community.count({
      where: { id: communityId, ...communityWhere(actor, "instance.credentials") },
    });
    if (!allowed) throw new AppError("FORBIDDEN", "Only the community's owner can see the instance's admin password.");
    const credential = await tx.instanceAdminCredential.findFirst({
      where: { instance: { communityId }, confirmedAt: { not: null } },
      omit: { passwordSealed: false },
    });
    if (!credential) throw new AppError("NOT_FOUND", "There are no admin credentials to show for this community yet.");
    // Row-level compare-and-set: of two simultaneous calls, one wins and the other sees 0 rows.
    const { count } = await tx.instanceAdminCredential.updateMany({
      where: { instanceId: credential.instanceId, shownAt: null },
      data: { shownAt: new Date(), passwordSealed: null },
    });
    if (count === 0 || !credential.passwordSealed) {
      throw new AppError(
        "CONFLICT",
        "The admin password was already shown once. Reset it on the instance itself if it was lost.",
      );
    }
    return {
      username: credential.username,
      email: credential.email,
      password: unseal(credential.passwordSealed, passwordContext(credential.instanceId)),
    };
  });
}
