"use client";
// A page below the root layout failed: the site's header stays, the page's part says so
// (instead of Next's "This page couldn't load").
import { ErrorNotice } from "@/components/errors/error-notice";

export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorNotice error={error} retry={retry} />;
}
