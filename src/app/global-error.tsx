"use client";
// Errors above the pages (the layout's own forms, such as Sign out) replace the whole document,
// so this page brings its own html and body.
import { ErrorNotice } from "@/components/errors/error-notice";
import "./globals.css";

export default function GlobalError({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return (
    <html lang="en">
      <head>
        <title>Something went wrong · Hearth</title>
      </head>
      <body>
        <main id="main">
          <ErrorNotice error={error} retry={retry} />
        </main>
      </body>
    </html>
  );
}
