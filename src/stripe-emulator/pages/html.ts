// Markup helpers for the hosted pages: escaped by default, no scripts, readable without CSS.

export function escapeHtml(value: unknown): string {
  return String(value)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

// Tagged template: interpolations are escaped unless they are already-built Html.
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? "";
  values.forEach((value, index) => {
    const rendered = Array.isArray(value)
      ? value.map((item) => (item instanceof Html ? item.value : escapeHtml(item))).join("")
      : value instanceof Html
        ? value.value
        : value === null || value === undefined || value === false
          ? ""
          : escapeHtml(value);
    out += rendered + (strings[index + 1] ?? "");
  });
  return new Html(out);
}

const STYLE = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; line-height: 1.5; }
body { margin: 0; background: #f4f4f6; color: #1a1a1a; }
.banner { background: #5c3c00; color: #fff; padding: .5rem 1rem; font-size: .9rem; margin: 0; }
main { max-width: 40rem; margin: 2rem auto; padding: 1.5rem; background: #fff; border-radius: .5rem; box-shadow: 0 1px 3px #0002; }
h1 { font-size: 1.5rem; margin-top: 0; } h2 { font-size: 1.15rem; }
table { width: 100%; border-collapse: collapse; } th, td { text-align: left; padding: .4rem .25rem; border-bottom: 1px solid #ddd; }
.total { font-size: 1.25rem; font-weight: 700; }
label { display: block; font-weight: 600; margin-bottom: .25rem; }
input { font: inherit; padding: .5rem; border: 1px solid #6b6b6b; border-radius: .25rem; width: 100%; box-sizing: border-box; }
input[aria-invalid="true"] { border: 2px solid #b00020; }
button { font: inherit; padding: .55rem 1rem; border-radius: .25rem; border: 0; background: #1f4fd1; color: #fff; cursor: pointer; margin-top: .5rem; }
button.secondary { background: #fff; color: #1f4fd1; border: 1px solid #1f4fd1; } button.danger { background: #a3001b; }
:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
.hint { color: #4a4a4a; font-size: .9rem; } .error { color: #b00020; font-weight: 600; }
.alert { border: 2px solid #b00020; background: #fff0f2; padding: .75rem; border-radius: .25rem; }
.card { border: 1px solid #ddd; border-radius: .5rem; padding: 1rem; margin-bottom: 1rem; }
.actions form { display: inline-block; margin-right: .5rem; }
a { color: #1f4fd1; }
`;

export function page(title: string, body: Html): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><p class="banner">Test mode: this is Hearth's local Stripe emulator. No real money moves.</p></header>
<main>
${body.value}
</main>
</body>
</html>`;
}

export function formatDate(seconds: number): string {
  return new Date(seconds * 1000).toLocaleDateString("en-GB", {
    year: "numeric",
    month: "long",
    day: "numeric",
    timeZone: "UTC",
  });
}
