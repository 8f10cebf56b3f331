"use client";
// What a page shows when something it was doing failed in the browser: a request that never
// got an answer (the form's own message covers forms; this covers buttons and navigation) or
// an error the server logged. Never the error's own text; the digest lets the host find the log.
import Link from "next/link";
import { isLostRequest } from "@/components/forms/lost-request";

export function ErrorNotice({ error, retry }: { error: unknown; retry: () => void }) {
  const lost = isLostRequest(error);
  const digest = typeof error === "object" && error !== null && "digest" in error && typeof error.digest === "string" ? error.digest : undefined;
  return (
    <section className="narrow" role="alert">
      <h1>{lost ? "The connection was lost" : "Something went wrong"}</h1>
      <p>
        {lost
          ? "The connection to Hearth was lost before it answered, so what you just did may not have gone through. Check your connection, then try again."
          : "Hearth ran into a problem and could not finish this. It has been logged. Try again, or come back later."}
      </p>
      <p>
        <button type="button" onClick={retry}>
          Try again
        </button>
      </p>
      <p>
        <Link href="/">Back to the start page</Link>
      </p>
      {digest ? <p className="hint">Reference for the host: {digest}</p> : null}
    </section>
  );
}
