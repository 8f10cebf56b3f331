// The pages the ingress itself serves for a domain whose app is not answering on purpose: a
// server being set up, one waiting for funding, one paused. Plain HTML with no braces (Caddy
// would read them as placeholders), escaped names, a link to the community's funding page.
export type PageKind = "setting-up" | "awaiting-funding" | "paused";

const escape = (text: string) =>
  text.replace(/[&<>"'{}]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "{": "&#123;", "}": "&#125;" })[c] ?? c);

const TEXT: Record<PageKind, { title: string; body: string; link: string }> = {
  "setting-up": {
    title: "is being set up",
    body: "This community's server is being set up. Come back in a few minutes.",
    link: "About this community",
  },
  "awaiting-funding": {
    title: "is waiting for funding",
    body: "This community's server starts once its members cover the monthly cost.",
    link: "Help fund it",
  },
  paused: {
    title: "is paused",
    body: "This community's server is paused because its hosting is not funded at the moment. Nothing has been deleted: it comes back as soon as the costs are covered.",
    link: "See its funding and contribute",
  },
};

export function ingressPage(kind: PageKind, community: { name: string; fundingUrl: string }): string {
  const t = TEXT[kind];
  const name = escape(community.name);
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${name} ${t.title}</title></head>`,
    '<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5">',
    `<h1>${name} ${t.title}</h1>`,
    `<p>${t.body}</p>`,
    `<p><a href="${escape(community.fundingUrl)}">${t.link}</a></p>`,
    "</body></html>",
  ].join("\n");
}
