// Words for enum values, shared by pages and client forms.
import type { CommunityRole, CommunityStatus, InstancePhase, Software } from "@/generated/prisma/enums";

export const SOFTWARE_LABEL: Record<Software, string> = {
  MASTODON: "Mastodon",
  MISSKEY: "Misskey",
  SHARKEY: "Sharkey",
  BLUESKY_PDS: "Bluesky PDS",
};

export const SOFTWARE_HINT: Record<Software, string> = {
  MASTODON: "The most widely used fediverse server.",
  MISSKEY: "Rich notes, reactions and drive; Misskey family.",
  SHARKEY: "A Misskey fork with extra moderation tools.",
  BLUESKY_PDS:
    "Your own Bluesky server: members' accounts, posts and media live on it, their handles are names under your address, and the whole Bluesky network (its app included) sees them.",
};

export const STATUS_LABEL: Record<CommunityStatus, string> = {
  DRAFT: "Draft",
  AWAITING_FUNDING: "Awaiting funding",
  PROVISIONING: "Provisioning",
  LIVE: "Live",
  SUSPENDED: "Suspended",
};

export const PHASE_LABEL: Record<InstancePhase, string> = {
  PENDING: "Waiting to start",
  PROVISIONING: "Being set up",
  STARTING: "Starting",
  RUNNING: "Running",
  STOPPING: "Stopping",
  STOPPED: "Stopped",
  DELETING: "Being deleted",
  DELETED: "Deleted",
  ERROR: "Needs attention",
};

export const ROLE_LABEL: Record<CommunityRole, string> = { OWNER: "Owner", ADMIN: "Admin", MEMBER: "Member" };
