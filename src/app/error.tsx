"use client";
// The site's own error page inside the layout (instead of Next's "This page couldn't load").
import { ErrorNotice } from "@/components/errors/error-notice";

export default function ErrorPage({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return <ErrorNotice error={error} retry={retry} />;
}
