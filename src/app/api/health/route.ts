// GET /api/health: database, Docker engine and worker heartbeat; 200 when all are healthy, else 503.
import { getHealth } from "@/server/health/get-health";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await getHealth();
  return Response.json(health, {
    status: health.status === "ok" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
