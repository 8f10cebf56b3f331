import type { CommunityStatus } from "@/generated/prisma/enums";
import { STATUS_LABEL } from "@/components/labels";

export function StatusBadge({ status }: { status: CommunityStatus }) {
  return (
    <span className={`status status-${status.toLowerCase().replace("_", "-")}`}>
      <span className="visually-hidden">Status: </span>
      {STATUS_LABEL[status]}
    </span>
  );
}
