// A community's finished export archives, newest first, each a download link, with the result
// of its last verification when there is one. The archives hold the instance's secrets: the
// link's route checks the permission again on every download.
import type { ReactNode } from "react";
import { formatDateTime } from "@/components/admin/labels";
import { formatBytes } from "@/lib/format";
import type { ExportArchive } from "@/server/exports/exports-dir";
import type { Verification } from "@/server/exports/verify-export";

type Archive = ExportArchive & { verification?: Verification | null };

export function ExportsList({ archives, href, actions }: { archives: Archive[]; href: (name: string) => string; actions?: (name: string) => ReactNode }) {
  if (archives.length === 0) return <p>No export has been made yet.</p>;
  return (
    <ul className="card-list">
      {archives.map((a) => (
        <li key={a.name}>
          <a href={href(a.name)} download>
            {a.name}
          </a>{" "}
          <span className="hint">
            {formatBytes(a.size)}, {formatDateTime(a.createdAt)}
          </span>
          {a.verification ? (
            <p className={a.verification.ok ? "hint" : "form-error"} data-testid="verification">
              {a.verification.ok ? "Verified" : "Verification failed"} {formatDateTime(new Date(a.verification.checkedAt))}: {a.verification.summary}
              {a.verification.mismatches.length
                ? ` (${a.verification.mismatches
                    .slice(0, 5)
                    .map((m) => `${m.table}: ${m.expected ?? "absent"} exported, ${m.found ?? "absent"} restored`)
                    .join("; ")})`
                : ""}
            </p>
          ) : null}
          {actions ? <div className="inline-actions">{actions(a.name)}</div> : null}
        </li>
      ))}
    </ul>
  );
}
