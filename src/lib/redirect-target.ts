// The one place that decides where a person may be sent after signing in (or any other
// "come back to" link): a path on this site, judged after the URL parser has normalised it,
// or the fallback. Never throws, whatever the input.
const PLACEHOLDER_ORIGIN = "http://hearth.invalid";
const MAX_LENGTH = 1000;
// Percent-encoded control characters, slashes and backslashes: some client code (Next's router
// following an action's redirect) decodes the path before the browser parses it again, and
// "/%09/evil.example" then leaves the site like "/\t/evil.example" does.
const ENCODED_TRICK = /%(0[0-9a-f]|1[0-9a-f]|7f|2f|5c)/i;

function leavesSite(value: string, base: URL): boolean {
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return true;
  }
  if (url.origin !== base.origin || (url.protocol !== "http:" && url.protocol !== "https:")) return true;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return !path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\");
}

/**
 * `value` as a same-origin path ("/dashboard?x=1#y"), else `fallback`. Relative values are
 * resolved against `origin` (default: a placeholder), and the result must keep that origin:
 * browsers strip tabs and newlines and read backslashes as slashes, so "/\t/evil.example" and
 * "/\\evil.example" leave the site, and so do "//host", "/.//host" and "javascript:...".
 * Absolute URLs are accepted only when they are on `origin` (next-auth hands those in).
 */
export function safeRedirectPath(value: unknown, fallback = "/dashboard", origin: string = PLACEHOLDER_ORIGIN): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH) return fallback;
  let base: URL;
  try {
    base = new URL(origin);
  } catch {
    return fallback;
  }
  if (leavesSite(value, base)) return fallback;
  const url = new URL(value, base);
  const path = `${url.pathname}${url.search}${url.hash}`;
  // The path as any later decoding would read it must stay on this site too.
  if (ENCODED_TRICK.test(url.pathname)) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return fallback;
  }
  if (leavesSite(decoded, base) || /[\u0000-\u001f\u007f\\]/.test(decoded)) return fallback;
  return path.length > MAX_LENGTH ? fallback : path;
}
