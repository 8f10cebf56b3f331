// One template per kind of message. Each says who may get it (before verification or not), the
// topic a person can turn off (if any), its subject (never a secret in it) and its blocks of
// content: render.ts makes the text and HTML parts from that one description.
// Data comes back from the database as JSON: parsed with zod.
import { z } from "zod";
import { formatDate } from "@/lib/format";
import type { Block } from "./content";

export const TOPICS = {
  funding: "Funding of your communities (funded, needs funding, suspended)",
  alerts: "Heavy load and downtime of communities you run",
} as const;
export type Topic = keyof typeof TOPICS;

type Links = { url: (path: string) => string };

type Template<D extends z.ZodType, S extends z.ZodType> = {
  data: D;
  secrets?: S;
  /** Sent to an address whose account has not verified it yet. */
  beforeVerification?: boolean;
  /** Goes to the address it was queued for (not the account's current one). */
  fixedAddress?: boolean;
  topic?: Topic;
  /** Why the person gets it, shown at the bottom. */
  reason: string;
  subject: (data: z.output<D>) => string;
  blocks: (data: z.output<D>, secrets: z.output<S>, links: Links) => Block[];
};

function template<D extends z.ZodType, S extends z.ZodType = z.ZodObject<Record<string, never>>>(t: Template<D, S>) {
  return t;
}

const link = z.object({ url: z.url() });
const community = z.object({ communityName: z.string(), slug: z.string() });
const none = z.object({}).passthrough();

export const TEMPLATES = {
  "account.verify_email": template({
    data: none,
    secrets: link,
    beforeVerification: true,
    reason: "You get this because this address was used to create a Hearth account.",
    subject: () => "Confirm your email address for Hearth",
    blocks: (_d, s) => [
        { p: "Please confirm that this is your email address. Until you do, you can look around and contribute, but not start a community, and Hearth sends you no other mail." },
        { button: { label: "Confirm my email address", url: s.url } },
        { note: "The link works for 48 hours. If you did not create an account, ignore this mail." },
    ],
  }),
  "account.password_reset": template({
    data: none,
    secrets: link,
    beforeVerification: true,
    reason: "You get this because someone asked to reset the password of the Hearth account with this address.",
    subject: () => "Reset your Hearth password",
    blocks: (_d, s) => [
        { p: "Someone (hopefully you) asked to reset the password of your Hearth account." },
        { button: { label: "Choose a new password", url: s.url } },
        { note: "The link works once, for one hour. Choosing a new password signs you out everywhere else. If you did not ask for this, ignore this mail: your password stays as it is." },
    ],
  }),
  "account.email_change_confirm": template({
    data: z.object({ oldEmail: z.string() }),
    secrets: link,
    beforeVerification: true,
    fixedAddress: true,
    reason: "You get this because this address was given as the new address of a Hearth account.",
    subject: () => "Confirm your new email address for Hearth",
    blocks: (d, s) => [
        { p: `The Hearth account ${d.oldEmail} wants to use this address from now on. Confirm it to make the change.` },
        { button: { label: "Use this address", url: s.url } },
        { note: "The link works for 24 hours. If you did not ask for this, ignore this mail: nothing changes." },
    ],
  }),
  "account.email_change_notice": template({
    data: z.object({ newEmail: z.string() }),
    fixedAddress: true,
    reason: "You get this because this was the address of your Hearth account.",
    subject: () => "The email address of your Hearth account was changed",
    blocks: (d, _s, links) => [
        { p: `Your Hearth account now uses ${d.newEmail}. Mail about your account goes there from now on.` },
        { p: "If you did not make this change, reset your password at once and write to the host's admins." },
        { button: { label: "Reset my password", url: links.url("/forgot-password") } },
    ],
  }),
  "account.password_changed": template({
    data: none,
    reason: "You get this because the password of your Hearth account was changed.",
    subject: () => "Your Hearth password was changed",
    blocks: (_d, _s, links) => [
        { p: "The password of your Hearth account was just changed, and your other sessions were ended." },
        { p: "If you did not do this, reset your password at once." },
        { button: { label: "Reset my password", url: links.url("/forgot-password") } },
    ],
  }),
  "member.invitation": template({
    data: z.object({ communityName: z.string(), inviter: z.string(), role: z.string(), expiresAt: z.string() }),
    secrets: link,
    beforeVerification: true,
    fixedAddress: true,
    reason: "You get this because a member of a community on Hearth invited this address.",
    subject: (d) => `You are invited to ${d.communityName}`,
    blocks: (d, s) => [
        { p: `${d.inviter} invites you to join ${d.communityName} on Hearth as ${d.role.toLowerCase()}.` },
        { button: { label: "See the invitation", url: s.url } },
        { note: `The invitation is for this address only and works until ${formatDate(new Date(d.expiresAt))}. Sign in or create an account with this address to accept it.` },
    ],
  }),
  "funding.funded": template({
    data: community.extend({ from: z.string() }),
    topic: "funding",
    reason: "You get this because you run or support this community.",
    subject: (d) => (d.from === "AWAITING_FUNDING" ? `${d.communityName} is funded` : `${d.communityName} is funded again`),
    blocks: (d, _s, links) => [
      {
        p:
          d.from === "GRACE"
            ? `The overdue month of hosting for ${d.communityName} is paid. Nothing changes for the server: it keeps running.`
            : d.from === "SUSPENDED"
              ? `${d.communityName} has a month of hosting paid again, so its server is being resumed with all its data.`
              : `${d.communityName} has its first month of hosting paid, so its server is being set up. Hosting is charged from the moment the server is up, not before.`,
      },
      { button: { label: `Open ${d.communityName}`, url: links.url(`/c/${d.slug}`) } },
    ],
  }),
  "funding.grace": template({
    data: community.extend({ graceEndsAt: z.string().nullable() }),
    topic: "funding",
    reason: "You get this because you run or support this community.",
    subject: (d) => `${d.communityName} needs funding`,
    blocks: (d, _s, links) => [
        { p: `The balance of ${d.communityName} does not cover the next month of hosting.` },
        {
          facts: [
            ["Server keeps running until", d.graceEndsAt ? formatDate(new Date(d.graceEndsAt)) : "the grace period ends"],
            ["After that", "it is suspended (its data is kept) until funding is back"],
          ],
        },
        { button: { label: "Contribute", url: links.url(`/c/${d.slug}/contribute`) } },
    ],
  }),
  "funding.suspended": template({
    data: community,
    topic: "funding",
    reason: "You get this because you run or support this community.",
    subject: (d) => `${d.communityName} is suspended for lack of funding`,
    blocks: (d, _s, links) => [
        { p: `The grace period of ${d.communityName} ended without enough funding, so its server is stopped. Nothing is deleted: it resumes as soon as a month of hosting is paid.` },
        { button: { label: "Contribute", url: links.url(`/c/${d.slug}/contribute`) } },
    ],
  }),
  // Not a notice one can turn off: it is about money that stops moving.
  "funding.closed": template({
    data: community.extend({ refundsAll: z.boolean() }),
    reason: "You get this because you ran or supported this community.",
    subject: (d) => `${d.communityName} was deleted: its contributions have ended`,
    blocks: (d, _s, links) => [
        {
          p:
            `${d.communityName} was deleted, so its server is gone and every monthly contribution to it is cancelled: nobody will be charged for it again.` +
            (d.refundsAll
              ? " Its server never went live, so everything contributed to it is being refunded to the card it came from."
              : " Any payment that still reaches it is refunded automatically."),
        },
        { button: { label: "Your contributions", url: links.url("/contributions") } },
    ],
  }),
  "contribution.payment_failed": template({
    data: community,
    reason: "You get this because you contribute to this community every month.",
    subject: (d) => `Your contribution to ${d.communityName} could not be collected`,
    blocks: (d, _s, links) => [
        { p: `The latest payment of your monthly contribution to ${d.communityName} was declined by your bank or card.` },
        { p: "Stripe tries again over the next days. To make sure it works, check or replace your card:" },
        { button: { label: "Update my card", url: links.url("/contributions/portal") } },
    ],
  }),
  "alert.heavy_load": template({
    data: community.extend({ message: z.string() }),
    topic: "alerts",
    reason: "You get this because you are an admin of this community. At most one such mail is sent every 6 hours.",
    subject: (d) => `${d.communityName} is under heavy load`,
    blocks: (d, _s, links) => [
        { p: d.message },
        { p: "Its members may find it slow. The dashboard shows the load over time and whether a larger plan would help." },
        { button: { label: "Open the dashboard", url: links.url(`/dashboard/${d.slug}`) } },
    ],
  }),
  "alert.down": template({
    data: community.extend({ message: z.string() }),
    topic: "alerts",
    reason: "You get this because you are an admin of this community. At most one such mail is sent every 6 hours.",
    subject: (d) => `${d.communityName} is down`,
    blocks: (d, _s, links) => [
        { p: d.message },
        { p: "The host's admins see this too. The dashboard shows what is running." },
        { button: { label: "Open the dashboard", url: links.url(`/dashboard/${d.slug}`) } },
    ],
  }),
  "alert.domain_not_pointing": template({
    data: community.extend({ domain: z.string(), message: z.string() }),
    topic: "alerts",
    reason: "You get this because you are an admin of this community. It is sent once each time the domain stops pointing at the host.",
    subject: (d) => `${d.domain} no longer points at ${d.communityName}'s server`,
    blocks: (d, _s, links) => [
      { p: `Hearth looked up ${d.domain}, the domain of ${d.communityName}, and it does not point at this host any more: ${d.message}` },
      {
        p: "People whose DNS follows the change cannot reach the server, other servers cannot federate with it, and its certificate cannot be renewed. The server keeps running here; put the record back and everything works again.",
      },
      { button: { label: "Open the dashboard", url: links.url(`/dashboard/${d.slug}`) } },
    ],
  }),
  "export.ready": template({
    data: z.object({ communityName: z.string(), detail: z.string(), path: z.string() }),
    reason: "You get this because you asked for an export of this community.",
    subject: (d) => `The export of ${d.communityName} is ready`,
    blocks: (d, _s, links) => [
        { p: `The export you asked for is ready: ${d.detail}.` },
        { button: { label: "Download it", url: links.url(d.path) } },
        { note: "The archive holds the server's secrets: keep it somewhere safe." },
    ],
  }),
} as const;

export type MailKind = keyof typeof TEMPLATES;
export type MailData<K extends MailKind> = z.input<(typeof TEMPLATES)[K]["data"]>;

export function templateOf(kind: string): (typeof TEMPLATES)[MailKind] | undefined {
  return Object.hasOwn(TEMPLATES, kind) ? TEMPLATES[kind as MailKind] : undefined;
}
