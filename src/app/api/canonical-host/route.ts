// GET /api/canonical-host?path=/x: sends the browser to /x on the panel's public address (src/proxy.ts rewrites here)
import { refuseBody } from "@/server/http/body-limit";
import { canonicalLocation } from "@/server/site/canonical-host";

export const dynamic = "force-dynamic";

// A route handler, not the proxy itself, answers: Next.js turns a proxy's redirect to the
// address it listens on into a relative one, which would keep the browser on the other name.
function answer(request: Request) {
  const refused = refuseBody(request);
  if (refused) return refused;
  const target = canonicalLocation(new URL(request.url).searchParams.get("path"), process.env.NEXTAUTH_URL);
  if (!target) return new Response("Not found", { status: 404 });
  return new Response(null, { status: 308, headers: { location: target, "cache-control": "no-store" } });
}

export const GET = answer;
export const HEAD = answer;
