// Turns a template's content into the two parts of the mail. HTML escapes every value; links
// are absolute (they come from publicUrl) and shown in full in the text part.
import type { Block, MailContent, RenderedMail } from "./content";

const escape = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export type Footer = { reason: string; unsubscribeUrl?: string; settingsUrl?: string };

function blockText(block: Block): string {
  if ("p" in block) return block.p;
  if ("note" in block) return block.note;
  if ("button" in block) return `${block.button.label}:\n${block.button.url}`;
  return block.facts.map(([label, value]) => `${label}: ${value}`).join("\n");
}

function blockHtml(block: Block): string {
  if ("p" in block) return `<p style="margin:0 0 16px">${escape(block.p).replace(/\n/g, "<br>")}</p>`;
  if ("note" in block) return `<p style="margin:0 0 16px;color:#555;font-size:14px">${escape(block.note)}</p>`;
  if ("button" in block) {
    const url = escape(block.button.url);
    return (
      `<p style="margin:0 0 16px"><a href="${url}" style="display:inline-block;padding:10px 18px;background:#b4441b;color:#fff;` +
      `text-decoration:none;border-radius:6px;font-weight:bold">${escape(block.button.label)}</a></p>` +
      `<p style="margin:0 0 16px;font-size:13px;color:#555">Or open this link: <a href="${url}" style="color:#b4441b">${url}</a></p>`
    );
  }
  const rows = block.facts
    .map(([label, value]) => `<tr><th align="left" style="padding:2px 12px 2px 0;font-weight:normal;color:#555">${escape(label)}</th><td>${escape(value)}</td></tr>`)
    .join("");
  return `<table role="presentation" style="margin:0 0 16px;border-collapse:collapse">${rows}</table>`;
}

function footerText(footer: Footer): string {
  const lines = [footer.reason];
  if (footer.unsubscribeUrl) lines.push(`Stop these notices: ${footer.unsubscribeUrl}`);
  if (footer.settingsUrl) lines.push(`All your notification settings: ${footer.settingsUrl}`);
  return lines.join("\n");
}

function footerHtml(footer: Footer): string {
  const links = [
    footer.unsubscribeUrl ? `<a href="${escape(footer.unsubscribeUrl)}" style="color:#555">Stop these notices</a>` : "",
    footer.settingsUrl ? `<a href="${escape(footer.settingsUrl)}" style="color:#555">Notification settings</a>` : "",
  ].filter(Boolean);
  return `<p style="margin:24px 0 0;font-size:12px;color:#666">${escape(footer.reason)}${links.length ? `<br>${links.join(" · ")}` : ""}</p>`;
}

export function renderMail(content: MailContent, footer: Footer): RenderedMail {
  const text = `${content.blocks.map(blockText).join("\n\n")}\n\n-- \n${footerText(footer)}\n`;
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${escape(content.subject)}</title></head>` +
    `<body style="margin:0;padding:24px;background:#faf7f2;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#222;line-height:1.5">` +
    `<div style="max-width:560px;margin:0 auto;background:#fff;padding:24px;border-radius:8px">` +
    `<p style="margin:0 0 16px;font-weight:bold;color:#b4441b">Hearth</p>` +
    content.blocks.map(blockHtml).join("") +
    footerHtml(footer) +
    `</div></body></html>`;
  return { subject: content.subject, text, html };
}
