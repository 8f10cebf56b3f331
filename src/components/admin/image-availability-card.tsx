// The host-wide image check on /admin: every image new instances would be pinned to, whether
// the Docker engine has it or could pull it, and why not.
import { formatDateTime } from "./labels";
import { SOFTWARE_LABEL } from "@/components/labels";
import type { ImageAvailability } from "@/server/provisioning/image-availability";

export function ImageAvailabilityCard({ availability }: { availability: ImageAvailability | null }) {
  const missing = availability?.images.filter((i) => !i.present && !i.pullable) ?? [];
  return (
    <section className="card" aria-labelledby="images-heading">
      <h2 id="images-heading">Images</h2>
      {!availability || !availability.engine ? (
        <p>The Docker engine did not answer, so images could not be checked.</p>
      ) : (
        <>
          <p role={missing.length ? "alert" : undefined}>
            {missing.length
              ? `${missing.length} ${missing.length === 1 ? "image is" : "images are"} neither on the engine nor pullable: new communities cannot choose ${[...new Set(missing.flatMap((i) => i.software))].map((s) => SOFTWARE_LABEL[s]).join(", ")}.`
              : "Every image new instances get is on the engine or can be pulled."}{" "}
            <span className="hint">
              Checked on {availability.engine} at {formatDateTime(availability.checkedAt)}.
            </span>
          </p>
          <ul className="card-list">
            {availability.images.map((i) => (
              <li key={i.image}>
                <code>{i.image}</code> <span className="status">{i.present ? "On the engine" : i.pullable ? "Pullable" : "Not available"}</span>{" "}
                <span className="hint">{i.software.map((s) => SOFTWARE_LABEL[s]).join(", ")}</span>
                {i.problem ? <div className="form-error">{i.problem}</div> : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
