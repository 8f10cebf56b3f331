// One public address: sign-in cookies belong to the host name in NEXTAUTH_URL, so a page asked
// for on another name of the panel (localhost for 127.0.0.1, an IP for the name) is sent there
// first, before any session matters: otherwise a person signs in on one name, pays, and comes
// back from Checkout to the other one without their cookie. Only page requests (GET and HEAD
// outside /api/ and the build's files) move: webhooks and health checks answer where they are
// asked. Pure, so the proxy and tests share it.

const EXEMPT = /^\/(api|_next)(\/|$)/;

/** The address to send the browser to, or null to serve the request where it is. */
export function canonicalRedirect(request: { method: string; url: string; host: string | null }, publicUrl: string | undefined): string | null {
  if (!publicUrl || (request.method !== "GET" && request.method !== "HEAD")) return null;
  let target: URL;
  try {
    target = new URL(publicUrl);
  } catch {
    return null; // a bad NEXTAUTH_URL is refused at boot
  }
  const asked = new URL(request.url);
  if (EXEMPT.test(asked.pathname)) return null;
  const host = (request.host ?? asked.host).toLowerCase();
  if (host === target.host.toLowerCase()) return null;
  const base = target.pathname.replace(/\/+$/, "");
  return `${target.origin}${base}${asked.pathname}${asked.search}`;
}

/**
 * The absolute address of `path` (path and query, as the proxy passes it) on the public
 * address; null for anything that is not a path. Always the public origin followed by the
 * path, so no value can send the browser to another site.
 */
export function canonicalLocation(path: string | null, publicUrl: string | undefined): string | null {
  if (!publicUrl || !path || !path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return null;
  try {
    const target = new URL(publicUrl);
    const base = target.pathname.replace(/\/+$/, "");
    const location = new URL(`${target.origin}${base}${path}`);
    return location.origin === target.origin ? location.toString() : null;
  } catch {
    return null;
  }
}
