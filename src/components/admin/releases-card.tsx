// The release check on /admin/settings: per software, the versions offered (the first is what new
// instances get) with their security state, and what the image's registry offers, or why it
// could not be asked. The same figures as `npm run images:check`.
import { SOFTWARE_LABEL } from "@/components/labels";
import { formatDateTime } from "@/components/admin/labels";
import type { ReleaseCheck } from "@/server/releases/check-releases";

const STATE_LABEL = { current: "Up to date", pending: "Security release pending", unsupported: "No longer supported", unknown: "Not comparable" } as const;

export function ReleasesCard({ check }: { check: ReleaseCheck }) {
  return (
    <div className="stack">
      <ul className="card-list">
        {check.software.map((s) => (
          <li key={s.software} className="card">
            <h3>{SOFTWARE_LABEL[s.software]}</h3>
            <p className="hint">
              Image <code>{s.image}</code>; new instances get <strong>{s.pinned}</strong>.
            </p>
            <table>
              <caption className="visually-hidden">{SOFTWARE_LABEL[s.software]} versions offered</caption>
              <thead>
                <tr>
                  <th scope="col">Offered version</th>
                  <th scope="col">Security</th>
                </tr>
              </thead>
              <tbody>
                {s.offered.map((o) => (
                  <tr key={o.version}>
                    <td>{o.version}</td>
                    <td>
                      <span className={o.security.state === "current" ? undefined : "status"}>{STATE_LABEL[o.security.state]}</span>: {o.security.message}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p>
              {s.registry.reachable
                ? `Newest stable version at ${s.registryName}: ${s.registry.newest ?? "none found"}${s.registry.newerThanPinned ? " (newer than what new instances get)" : ""}.`
                : `${s.registryName} could not be reached from this host (${s.registry.reason}), so the newest version there is not known.`}
            </p>
          </li>
        ))}
      </ul>
      <p className="hint">
        Security releases: the list kept in Hearth&apos;s code, checked {check.listChecked}, from {check.source}. Registries asked at{" "}
        {formatDateTime(check.checkedAt)}.
      </p>
    </div>
  );
}
