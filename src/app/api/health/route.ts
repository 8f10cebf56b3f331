// GET /api/health: up or down for anyone (200 when database, Docker and worker are healthy, else 503); the details only for host admins.
import { getActor } from "@/server/auth/current-actor";
import { hasHostPermission } from "@/server/auth/permissions";
import { getHealth } from "@/server/health/get-health";
import { refuseBody } from "@/server/http/body-limit";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const refused = refuseBody(request);
  if (refused) return refused;
  const health = await getHealth();
  // Versions and worker timings help an attacker more than a visitor: only the host sees them.
  const detailed = hasHostPermission(await getActor().catch(() => null), "admin.dashboard");
  return Response.json(detailed ? health : { status: health.status }, {
    status: health.status === "ok" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
