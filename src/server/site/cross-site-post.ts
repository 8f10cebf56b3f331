// A page's form post (a server action, or a form sent without JavaScript) sent by a browser from
// another site is refused before Next.js sees it: Next.js refuses a server action whose Origin is
// not this host too, but as an error page with status 500. The same rule as Next.js's: the
// Origin's host must be the Host the request came to (X-Forwarded-Host behind a proxy), or the
// public address's. A post without Origin (not a browser's) is left to Next.js. Pure, so the
// proxy and tests share it.

/** True when a browser sent this POST from another site. */
export function crossSitePost(
  request: { method: string; origin: string | null; host: string | null; forwardedHost: string | null },
  publicUrl: string | undefined,
): boolean {
  if (request.method !== "POST" || request.origin === null) return false;
  let from: string;
  try {
    from = new URL(request.origin).host.toLowerCase();
  } catch {
    return true; // "null" (a sandboxed or privacy-sensitive context) or garbage
  }
  if (!from) return true;
  const hosts = [request.forwardedHost?.split(",")[0]?.trim(), request.host];
  try {
    if (publicUrl) hosts.push(new URL(publicUrl).host);
  } catch {
    // a bad NEXTAUTH_URL is refused at boot
  }
  return !hosts.some((host) => host && host.toLowerCase() === from);
}
