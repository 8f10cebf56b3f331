// What a person sees when a page fails: plain words, a way to try again, and a reference the
// host can find in the logs. Never the error's message or stack: a server error's message is
// already replaced by Next.js in production, but a client error's is not, and either may name
// internals (paths, queries, addresses).
"use client";

import Link from "next/link";

/** The digest Next.js gives a server error (a hash, safe to show), if the value has one. */
export function errorReference(error: unknown): string | null {
  if (typeof error !== "object" || error === null || !("digest" in error)) return null;
  const digest = (error as { digest?: unknown }).digest;
  return typeof digest === "string" && /^[\w-]{1,64}$/.test(digest) ? digest : null;
}

export function ErrorNotice({ error, retry }: { error: unknown; retry: () => void }) {
  const reference = errorReference(error);
  return (
    <section className="narrow" aria-labelledby="error-heading">
      <h1 id="error-heading">Something went wrong</h1>
      <p>This page could not be shown just now. That is our fault, not yours, and trying again often helps.</p>
      <p>
        <button type="button" onClick={() => retry()}>
          Try again
        </button>
      </p>
      <p>
        If it keeps happening, <Link href="/">go back to the start page</Link>
        {reference ? (
          <>
            {" "}or tell the people who run this Hearth, quoting the reference <code className="mono">{reference}</code>.
          </>
        ) : (
          " or tell the people who run this Hearth."
        )}
      </p>
    </section>
  );
}
