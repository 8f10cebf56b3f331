"use client";
// What a page shows when something it was doing failed: a request that never got an answer
// (the form's own message covers forms; this covers buttons and navigation) or an error the
// server logged. Never the error's own message or stack: a server error's message is replaced
// by Next.js in production, a client error's is not, and either may name internals (paths,
// queries, addresses). The digest Next.js gives a server error lets the host find the log.
import Link from "next/link";
import { isLostRequest } from "@/components/forms/lost-request";

/** The digest Next.js gives a server error (a hash, safe to show), if the value has one. */
export function errorReference(error: unknown): string | null {
  if (typeof error !== "object" || error === null || !("digest" in error)) return null;
  const digest = (error as { digest?: unknown }).digest;
  return typeof digest === "string" && /^[\w-]{1,64}$/.test(digest) ? digest : null;
}

export function ErrorNotice({ error, retry }: { error: unknown; retry: () => void }) {
  const lost = isLostRequest(error);
  const reference = errorReference(error);
  return (
    <section className="narrow" role="alert" aria-labelledby="error-heading">
      <h1 id="error-heading">{lost ? "The connection was lost" : "Something went wrong"}</h1>
      <p>
        {lost
          ? "The connection to Hearth was lost before it answered, so what you just did may not have gone through. Check your connection, then try again."
          : "This could not be shown or finished just now. That is our fault, not yours, and it has been logged. Trying again often helps."}
      </p>
      <p>
        <button type="button" onClick={() => retry()}>
          Try again
        </button>
      </p>
      <p>
        <Link href="/">Back to the start page</Link>
      </p>
      {reference ? (
        <p className="hint">
          If it keeps happening, tell the people who run this Hearth, quoting the reference <code className="mono">{reference}</code>.
        </p>
      ) : null}
    </section>
  );
}
