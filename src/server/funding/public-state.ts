// What a community's public page says about it, from one function: the badge and the sentence
// about its server and its money are derived together, in a fixed order of precedence, so
// they cannot contradict each other ("Suspended" beside "Funded: hosting is paid" was possible
// when the badge came from the community and the sentence from funding).
import type { CommunityStatus, FundingState } from "@/generated/prisma/enums";

export type PublicStateInput = {
  status: CommunityStatus;
  deletedAt: Date | null;
  adminSuspendedAt: Date | null;
  adminSuspendedReason: string | null;
  funding: FundingState;
  /** Funded, no month charged yet: the server is not up. */
  startsWhenUp: boolean;
  coveredUntil: Date | null;
  graceEndsAt: Date | null;
};

export type PublicState = {
  /** The badge, e.g. "Live"; read as "Status: Live". */
  label: string;
  tone: "live" | "waiting" | "warning" | "stopped";
  /** One sentence about the server and its money. */
  sentence: string;
  acceptsContributions: boolean;
};

const day = (date: Date) => new Intl.DateTimeFormat("en", { dateStyle: "long", timeZone: "UTC" }).format(date);

export function publicState(input: PublicStateInput): PublicState {
  if (input.deletedAt || input.funding === "CLOSED") {
    return { label: "Deleted", tone: "stopped", sentence: "This community was deleted. Its contributions have ended.", acceptsContributions: false };
  }
  if (input.adminSuspendedAt) {
    const reason = input.adminSuspendedReason?.trim();
    return {
      label: "Suspended",
      tone: "stopped",
      sentence: `The host has suspended this community${reason ? `: ${reason}` : "."}${reason && /[.!?]$/.test(reason) ? "" : reason ? "." : ""} Its server is stopped and its data is kept. Funding is paused: no hosting is charged and no contributions are taken until the host lifts the suspension.`,
      acceptsContributions: false,
    };
  }
  const open = input.status !== "DRAFT";
  switch (input.funding) {
    case "SUSPENDED":
      return {
        label: "Suspended",
        tone: "stopped",
        sentence: "Suspended for lack of funding. Nothing is deleted: the server resumes as soon as a month of hosting is covered.",
        acceptsContributions: open,
      };
    case "GRACE":
      return {
        label: "Needs funding",
        tone: "warning",
        sentence: `Needs funding: the balance does not cover this month. The server keeps running until ${input.graceEndsAt ? day(input.graceEndsAt) : "the grace period ends"}.`,
        acceptsContributions: open,
      };
    case "FUNDED":
      if (input.status === "LIVE" && !input.startsWhenUp) {
        return {
          label: "Live",
          tone: "live",
          sentence: `Funded: the server's hosting is paid${input.coveredUntil ? ` until ${day(input.coveredUntil)}` : ""}.`,
          acceptsContributions: open,
        };
      }
      return {
        label: input.status === "SUSPENDED" ? "Resuming" : "Being set up",
        tone: "waiting",
        sentence: `Funded: the server is being ${input.status === "SUSPENDED" ? "resumed" : "set up"}. Hosting is charged from when it is up, not before.`,
        acceptsContributions: open,
      };
    default:
      return {
        label: input.status === "DRAFT" ? "Draft" : "Awaiting funding",
        tone: "waiting",
        sentence: "Awaiting funding: the server is set up once a month of hosting is covered.",
        acceptsContributions: open,
      };
  }
}
