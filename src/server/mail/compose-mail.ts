// Renders one outbox row into what goes on the wire (or into the mail viewer): subject, text and
// HTML from the kind's template, the footer with the unsubscribe link for notices that can be
// turned off, and the List-Unsubscribe headers (RFC 2369 and one-click, RFC 8058).
import "server-only";
import { publicUrl } from "@/server/site/public-url";
import type { Footer } from "./render";
import { renderMail } from "./render";
import type { Block, RenderedMail } from "./content";
import { templateOf } from "./templates";
import { unsubscribeToken } from "./unsubscribe-token";

export type OutboxForRender = {
  kind: string;
  subject: string;
  body: string;
  data: unknown;
  toUserId: string | null;
};

export type ComposedMail = RenderedMail & { headers: Record<string, string> };

const links = { url: (path: string) => publicUrl(path) };

export function composeMail(row: OutboxForRender, secrets: Record<string, unknown> | null): ComposedMail {
  const template = templateOf(row.kind);
  if (!template) {
    // Rows written without a template (another part of Hearth, an older version): their words as they are.
    return { ...renderMail({ subject: row.subject, blocks: row.body.split(/\n{2,}/).map((p) => ({ p })) }, { reason: "You get this because you have a Hearth account." }), headers: {} };
  }
  const data = template.data.parse(row.data ?? {});
  const secretValues = template.secrets ? template.secrets.parse(secrets ?? {}) : {};
  // Each template's functions take its own data type; the parse above made the data that type.
  const t = template as unknown as { subject: (d: unknown) => string; blocks: (d: unknown, s: unknown, l: typeof links) => Block[] };
  const content = { subject: t.subject(data), blocks: t.blocks(data, secretValues, links) };
  const footer: Footer = { reason: template.reason };
  const headers: Record<string, string> = {};
  if (template.topic && row.toUserId) {
    const unsubscribe = publicUrl(`/unsubscribe/${unsubscribeToken(row.toUserId, template.topic)}`);
    footer.unsubscribeUrl = unsubscribe;
    footer.settingsUrl = publicUrl("/settings/notifications");
    headers["List-Unsubscribe"] = `<${publicUrl(`/api/unsubscribe/${unsubscribeToken(row.toUserId, template.topic)}`)}>`;
    headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
  }
  return { ...renderMail(content, footer), headers };
}
