"use client";
// The move-in archive of a community that starts from an export: a resumable upload (tus, in
// chunks; a dropped connection or a closed tab resumes where it stopped) with its progress, and
// the server's verdict at the field once the last byte is in (checked: manifest, checksums,
// software, version, domain).
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { formatBytes } from "@/lib/format";

type Props = {
  slug: string;
  domain: string;
  software: string;
  /** Whether pack-archive.sh packs this software (not a Bluesky PDS). */
  packable: boolean;
  archive: string | null;
  size: number | null;
  version: string | null;
  restored: boolean;
  open: boolean;
  limitBytes: number;
};

const CHUNK = 16 * 1024 * 1024;

export function MoveInCard(props: Props) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [phase, setPhase] = useState<"idle" | "uploading" | "checking" | "done">("idle");
  const id = "field-move-in-archive";

  async function start(event: React.FormEvent) {
    event.preventDefault();
    const file = input.current?.files?.[0];
    setError(null);
    if (!file) return setError("Choose the export archive (a .tar.gz file) to upload.");
    if (!/\.(tar\.gz|tgz)$/i.test(file.name)) return setError("This is not an export archive: choose the .tar.gz file an export gave you.");
    if (file.size > props.limitBytes) return setError(`This file is ${formatBytes(file.size)}; this community's plan takes archives of up to ${formatBytes(props.limitBytes)}.`);
    setPhase("uploading");
    // The tus client (57 KB of script with what it needs) loads when an upload starts, not with the
    // dashboard: most dashboards never upload, and it was four fifths of the script of their own.
    let tus: typeof import("tus-js-client");
    try {
      tus = await import("tus-js-client");
    } catch {
      setPhase("idle");
      return setError("The uploader could not be loaded: check the connection and choose Upload again.");
    }
    const { DetailedError, Upload } = tus;
    const upload = new Upload(file, {
      endpoint: "/api/move-in/uploads",
      chunkSize: CHUNK,
      retryDelays: [0, 1000, 3000, 5000, 10000],
      removeFingerprintOnSuccess: true,
      metadata: { community: props.slug, filename: file.name },
      onProgress: (sent, total) => {
        setProgress({ sent, total });
        if (sent === total) setPhase("checking");
      },
      onError: (failure) => {
        setPhase("idle");
        const response = failure instanceof DetailedError ? failure.originalResponse : null;
        const said = response?.getBody();
        setError(response && response.getStatus() < 500 && said ? said : `The upload stopped: ${said || failure.message}. Choose the file again to resume where it stopped.`);
      },
      onSuccess: () => {
        setPhase("done");
        router.refresh();
      },
    });
    void upload.findPreviousUploads().then((previous) => {
      if (previous[0]) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    });
  }

  const busy = phase === "uploading" || phase === "checking";
  return (
    <section className="card" aria-labelledby="move-in-heading">
      <h2 id="move-in-heading">Moving in</h2>
      {props.restored ? (
        <p>The server was set up with the data of {props.archive}.</p>
      ) : props.archive ? (
        <p data-testid="move-in-accepted">
          Accepted: {props.archive} ({props.size === null ? "" : `${formatBytes(props.size)}, `}
          {props.software} {props.version}). The server is set up with its data and secrets once the community is funded.
        </p>
      ) : (
        <p>
          This community starts from an export of its server. Upload the archive before the community is funded: the server
          is set up only once it is here.
        </p>
      )}
      {props.open ? (
        <form onSubmit={(event) => void start(event)} className="stack" noValidate>
          <div className="field">
            <label htmlFor={id}>{props.archive ? "Replace it with another archive" : "Export archive"}</label>
            <input
              ref={input}
              id={id}
              name="archive"
              type="file"
              accept=".tar.gz,.tgz,application/gzip"
              disabled={busy}
              aria-invalid={error ? true : undefined}
              aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
            />
            <p className="hint" id={`${id}-hint`}>
              A Hearth export (.tar.gz) of a {props.software} server at {props.domain}, up to {formatBytes(props.limitBytes)}.
              It is checked when it has arrived: manifest, every file&apos;s checksum, software, version and domain. An
              interrupted upload resumes when you choose the same file again, for a week after its last byte.
              {props.packable ? (
                <>
                  {" "}
                  A server that never ran on Hearth is packed into one by{" "}
                  <a href="/move-in/pack-archive.sh" download>
                    pack-archive.sh
                  </a>{" "}
                  from its database dump, configuration and media folder (its first lines say how).
                </>
              ) : null}
            </p>
            {error ? (
              <p className="error" id={`${id}-error`} role="alert">
                {error}
              </p>
            ) : null}
          </div>
          {progress && busy ? (
            <p role="status">
              <progress value={progress.sent} max={progress.total} aria-label="Upload progress" />{" "}
              {phase === "checking" ? "Uploaded; checking the archive…" : `${formatBytes(progress.sent)} of ${formatBytes(progress.total)}`}
            </p>
          ) : null}
          {phase === "done" ? <p className="form-ok" role="status">The archive was accepted.</p> : null}
          <button type="submit" disabled={busy}>
            {busy ? "Uploading…" : "Upload the archive"}
          </button>
        </form>
      ) : null}
    </section>
  );
}
