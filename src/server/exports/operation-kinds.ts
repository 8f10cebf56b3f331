// Which tenant jobs exclude each other: the admin's requests and the owner's share the rule.
import type { TenantOperationKind } from "@/generated/prisma/enums";

/** A restore excludes every other job on the tenant (it stops the app and replaces its data). */
export function exclusive(kind: TenantOperationKind): TenantOperationKind[] {
  return kind === "RESTORE" ? ["RESTART", "EXPORT", "RESTORE", "VERIFY"] : [kind, "RESTORE"];
}
