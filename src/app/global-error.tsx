// The root layout itself failed: this replaces it, so it brings its own document and styles
// (and no account navigation, which is what may have failed).
"use client";

import Link from "next/link";
import { ErrorNotice } from "@/components/error-notice";
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
