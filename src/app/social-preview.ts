// The image link previews (Open Graph) show for the start page and community pages: a file in
// public/ (its source, social-preview.svg, beside it). Relative: metadataBase in the root
// layout makes it absolute on this Hearth's public address.
import type { Metadata } from "next";

export const SOCIAL_PREVIEW = {
  url: "/social-preview.png",
  width: 1200,
  height: 630,
  alt: "Hearth: your community's own server, funded together",
} as const;

/** Open Graph fields for a public page; a page's own openGraph replaces its layout's whole. */
export function openGraph(page: { title: string; description: string; path?: string }): Metadata["openGraph"] {
  return { type: "website", siteName: "Hearth", title: page.title, description: page.description, ...(page.path ? { url: page.path } : {}), images: [SOCIAL_PREVIEW] };
}
