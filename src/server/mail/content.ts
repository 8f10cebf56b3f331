// A message as its template describes it: a subject and blocks of content. The plain-text and
// the HTML part are both rendered from this one description (render.ts), so they never differ.
export type Block =
  | { p: string }
  | { button: { label: string; url: string } }
  | { facts: [label: string, value: string][] }
  | { note: string };

export type MailContent = {
  subject: string;
  /** Shown after the greeting line; each block in order. */
  blocks: Block[];
};

export type RenderedMail = { subject: string; text: string; html: string };
