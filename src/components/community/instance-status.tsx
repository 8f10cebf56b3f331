// Community.status in plain words. The dashboard shows the provisioning timeline
// (instance-timeline.tsx) and the load panel (load/) beside it.
import type { CommunityStatus } from "@/generated/prisma/enums";
import { StatusBadge } from "./status-badge";

const EXPLANATION: Record<CommunityStatus, string> = {
  DRAFT: "Not public yet. Finish the settings to open it for funding.",
  AWAITING_FUNDING: "Waiting for pledges. The server is set up once its monthly cost is covered.",
  PROVISIONING: "Funded. The server is being set up.",
  LIVE: "The server is running.",
  SUSPENDED: "The server is stopped. Its data is kept.",
};

export function InstanceStatus({ status, address, url }: { status: CommunityStatus; address: string; url?: string | null }) {
  return (
    <section className="card" aria-labelledby="instance-heading" data-slot="instance-status">
      <h2 id="instance-heading">Instance</h2>
      <p>
        <StatusBadge status={status} />
      </p>
      <p>{EXPLANATION[status]}</p>
      {url ? (
        <p>
          <a href={url}>Open {address}</a>
        </p>
      ) : (
        <p className="hint">
          Address: <code>{address}</code>
        </p>
      )}
    </section>
  );
}
