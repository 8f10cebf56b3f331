// A page below the root layout failed: the site's header stays, the page's part says so.
"use client";

import { ErrorNotice } from "@/components/error-notice";

export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorNotice error={error} retry={retry} />;
}
