// Runs before every page Next.js serves. A form post from another site is refused (403,
// src/server/site/cross-site-post.ts). Then pages asked for on another host name of the
// panel are sent to its one public address (src/server/site/canonical-host.ts). Then security
// headers on every page. Pages get a strict Content-Security-Policy with a fresh
// nonce per request: Next.js reads it from the request's CSP header and puts it on its own
// scripts, and `'strict-dynamic'` lets only those load others. next.config.mjs adds the
// headers that never change (and a CSP for the static files this proxy does not see).
import { NextResponse, type NextRequest } from "next/server";
import { canonicalRedirect } from "@/server/site/canonical-host";
import { crossSitePost } from "@/server/site/cross-site-post";

// Where a form may send the browser (a contribution's no-JavaScript post redirects to Stripe
// Checkout; the billing portal likewise): this site and Stripe, or the local emulator.
function formTargets(): string {
  const targets = ["'self'"];
  const emulator = process.env.STRIPE_EMULATOR_URL;
  if (process.env.STRIPE_SECRET_KEY) targets.push("https://checkout.stripe.com", "https://billing.stripe.com");
  else if (emulator) {
    try {
      targets.push(new URL(emulator).origin);
    } catch {
      // a bad URL is refused at boot by the config schema
    }
  }
  return targets.join(" ");
}

export function contentSecurityPolicy(nonce: string, options: { dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    // Style attributes (React's style={...}) cannot carry a nonce; style elements can.
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${options.dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    `form-action ${formTargets()}`,
    "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

export function proxy(request: NextRequest) {
  const sent = { method: request.method, origin: request.headers.get("origin"), host: request.headers.get("host"), forwardedHost: request.headers.get("x-forwarded-host") };
  if (crossSitePost(sent, process.env.NEXTAUTH_URL)) {
    return new NextResponse("This form was sent from another site, so it was not carried out.\n", { status: 403, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  const target = canonicalRedirect({ method: request.method, url: request.url, host: request.headers.get("host") }, process.env.NEXTAUTH_URL);
  if (target) {
    // Answered by a route handler (api/canonical-host): Next.js would make a redirect from here
    // relative when the public address is the one it listens on, and the browser would stay put.
    const to = new URL(target);
    const answer = new URL("/api/canonical-host", request.url);
    answer.searchParams.set("path", `${to.pathname}${to.search}`);
    return NextResponse.rewrite(answer);
  }
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce, {
    dev: process.env.NODE_ENV === "development",
    https: (process.env.NEXTAUTH_URL ?? "").startsWith("https://"),
  });
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", csp);
  headers.set("x-nonce", nonce);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  // Pages (and their form posts), not the build's static files nor the API routes:
  // next.config.mjs gives those a fixed CSP. Next buffers the body of every request the proxy
  // sees (up to 10 MB), so the API routes, which limit their bodies themselves, stay out.
  matcher: ["/((?!_next/static|_next/image|api/).*)"],
};
