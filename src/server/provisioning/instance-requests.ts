// What an organiser asks of their instance from the dashboard, by community address. The
// permission is checked here (instance.manage / instance.credentials) before the domain call.
import "server-only";
import { z } from "zod";
import { authorizeCommunity } from "@/server/auth/community-access";
import type { Actor } from "@/server/auth/permissions";
import { communityRef } from "@/lib/community-ref";
import { revealAdminCredentials, type AdminCredentials } from "./reveal-admin-credentials";
import { retryInstanceNow } from "./retry-instance";

export const instanceRequestSchema = z.object({ community: communityRef });
type InstanceRequest = z.infer<typeof instanceRequestSchema>;

export async function retryInstanceAs(actor: Actor, input: InstanceRequest): Promise<void> {
  const { community } = await authorizeCommunity(actor, input.community, "instance.manage");
  await retryInstanceNow(community.id);
}

export async function revealAdminCredentialsAs(actor: Actor, input: InstanceRequest): Promise<AdminCredentials> {
  const { community } = await authorizeCommunity(actor, input.community, "community.read");
  return revealAdminCredentials(community.id, actor);
}
