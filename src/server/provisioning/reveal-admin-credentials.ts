// The organiser sees the admin account's password exactly once: the first call returns it and,
// in the same transaction, marks it shown and erases the stored copy. Only the community's
// owner may ask (checked in the query itself: anyone else gets "not found").
import "server-only";
import { db } from "@/server/db/client";
import { unseal } from "@/server/crypto/seal";
import { AppError } from "@/server/errors/app-error";
import { passwordContext } from "./admin-account";

export type AdminCredentials = { username: string; email: string; password: string };

export async function revealAdminCredentials(communityId: string, userId: string): Promise<AdminCredentials> {
  return db.$transaction(async (tx) => {
    const credential = await tx.instanceAdminCredential.findFirst({
      where: { instance: { communityId, community: { ownerId: userId } }, confirmedAt: { not: null } },
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
