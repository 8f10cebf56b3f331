// The one place that decides where a person may be sent after signing in (or any other
// "come back to" link): a path on this site, judged after the URL parser has normalised it,
// or the fallback. Never throws, whatever the input.
const PLACEHOLDER_ORIGIN = "http://hearth.invalid";
const MAX_LENGTH = 1000;

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
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(value, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base.origin || (url.protocol !== "http:" && url.protocol !== "https:")) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // A path that starts with two slashes is another host once it is parsed again.
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return fallback;
  return path.length > MAX_LENGTH ? fallback : path;
}
