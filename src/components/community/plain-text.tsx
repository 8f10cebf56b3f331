// Text people typed (descriptions, rules), shown as text: React escapes it, so markup in
// it is displayed, never interpreted. Line breaks are kept by CSS.
export function PlainText({ text, className }: { text: string; className?: string }) {
  if (!text) return null;
  return <p className={["plain-text", className].filter(Boolean).join(" ")}>{text}</p>;
}
