// Runs before every request Next.js serves: pages asked for on another host name of the panel
// are sent to its one public address (src/server/site/canonical-host.ts).
import { NextResponse, type NextRequest } from "next/server";
import { canonicalRedirect } from "@/server/site/canonical-host";

export function proxy(request: NextRequest) {
  const target = canonicalRedirect({ method: request.method, url: request.url, host: request.headers.get("host") }, process.env.NEXTAUTH_URL);
  if (target) return NextResponse.redirect(target, 308);
  return NextResponse.next();
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|api/).*)"],
};
