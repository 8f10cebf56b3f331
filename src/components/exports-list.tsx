// A community's finished export archives, newest first, each a download link. The archives hold
// the instance's secrets: the link's route checks the permission again on every download.
import { formatDateTime } from "@/components/admin/labels";
import { formatBytes } from "@/lib/format";
import type { ExportArchive } from "@/server/exports/exports-dir";

export function ExportsList({ archives, href }: { archives: ExportArchive[]; href: (name: string) => string }) {
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
        </li>
      ))}
    </ul>
  );
}
