// A request that never got an answer, as the browser reports it: fetch rejects with a
// TypeError whose message names the network ("Failed to fetch" in Chromium, "NetworkError when
// attempting to fetch resource." in Firefox, "Load failed" in Safari). Errors the server sent
// back arrive as plain Errors, and Next's redirects as its own, so they are never mistaken for it.
export const LOST_REQUEST =
  "The connection to Hearth was lost before it answered, so this may not have gone through. Check your connection and try again.";

export function isLostRequest(error: unknown): boolean {
  return error instanceof TypeError && /fetch|network|load failed/i.test(error.message);
}
