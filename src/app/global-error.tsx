"use client";
// The root layout itself failed (or one of its own forms, such as Sign out): this replaces the
// whole document, so it brings its own html, body and styles, and no account navigation, which
// is what may have failed.
import Link from "next/link";
import { ErrorNotice } from "@/components/errors/error-notice";
import "./globals.css";

export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body>
        <title>Something went wrong · Hearth</title>
        <header className="site-header">
          <Link className="brand" href="/">
            Hearth
          </Link>
        </header>
        <main id="main">
          <ErrorNotice error={error} retry={retry} />
        </main>
      </body>
    </html>
  );
}
