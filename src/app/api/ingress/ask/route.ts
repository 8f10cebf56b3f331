// GET /api/ingress/ask?domain=<name>: Caddy's on-demand TLS "ask": 200 when Hearth may obtain a certificate for the name, else 404.
import { refuseBody } from "@/server/http/body-limit";
import { allowCertificate } from "@/server/provisioning";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const refused = refuseBody(request);
  if (refused) return refused;
  const allowed = await allowCertificate(new URL(request.url).searchParams.get("domain"));
  return new Response(null, { status: allowed ? 200 : 404, headers: { "cache-control": "no-store" } });
}
