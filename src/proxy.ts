// Runs before every request Next.js serves: pages asked for on another host name of the panel
// are sent to its one public address (src/server/site/canonical-host.ts).
import { NextResponse, type NextRequest } from "next/server";
import { canonicalRedirect } from "@/server/site/canonical-host";

export function proxy(request: NextRequest) {
  const target = canonicalRedirect({ method: request.method, url: request.url, host: request.headers.get("host") }, process.env.NEXTAUTH_URL);
  if (!target) return NextResponse.next();
  // Answered by a route handler (api/canonical-host): Next.js would make a redirect from here
  // relative when the public address is the one it listens on, and the browser would stay put.
  const to = new URL(target);
  const answer = new URL("/api/canonical-host", request.url);
  answer.searchParams.set("path", `${to.pathname}${to.search}`);
  return NextResponse.rewrite(answer);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|api/).*)"],
};
