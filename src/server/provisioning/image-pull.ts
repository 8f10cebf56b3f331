// Makes sure an image is on the engine: inspect first (404 means absent), else pull it and
// stream the layers' progress to the caller (the timeline) through followProgress.
import "server-only";
import type Docker from "dockerode";
import { dockerMessage, isNotFound, StepError } from "./docker-errors";

type PullEvent = { status?: string; id?: string; progressDetail?: { current?: number; total?: number }; error?: string };

const mb = (bytes: number) => (bytes / 1_000_000).toFixed(1);

/** Sums the per-layer progress events into one line a person can read. */
export function progressTracker() {
  const layers = new Map<string, { current: number; total: number; done: boolean }>();
  return {
    add(event: PullEvent): string | undefined {
      if (!event.id || !event.status) return undefined;
      const layer = layers.get(event.id) ?? { current: 0, total: 0, done: false };
      if (event.status === "Downloading" && event.progressDetail?.total) {
        layer.current = event.progressDetail.current ?? 0;
        layer.total = event.progressDetail.total;
      } else if (/^(Download complete|Pull complete|Already exists)$/.test(event.status)) {
        layer.done = true;
        layer.current = layer.total;
      } else if (!/^(Pulling fs layer|Waiting|Verifying Checksum|Extracting)$/.test(event.status)) {
        return undefined; // "Pulling from ...", digests and the like are not layers
      }
      layers.set(event.id, layer);
      const all = [...layers.values()];
      const current = all.reduce((sum, l) => sum + l.current, 0);
      const total = all.reduce((sum, l) => sum + l.total, 0);
      const done = all.filter((l) => l.done).length;
      return `Downloading ${mb(current)} MB of ${total ? mb(total) : "?"} MB (${done} of ${all.length} layers done)`;
    },
  };
}

function explainPullFailure(image: string, error: unknown): StepError {
  const reason = dockerMessage(error);
  const short = reason.length > 240 ? `${reason.slice(0, 240)}...` : reason;
  if (/manifest unknown|not found|pull access denied|repository does not exist/i.test(reason)) {
    return new StepError(
      `The registry has no image ${image} (${short}). Check the image name and tag in Hearth's configuration (HEARTH_IMAGE_*).`,
    );
  }
  return new StepError(
    `Could not download image ${image}: the Docker host could not reach its registry (${short}). ` +
      "Hearth will try again later. If the host has no internet access, load the image onto it with `docker load`.",
  );
}

export async function imagePresent(docker: Docker, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/** Returns "present" when nothing had to be pulled. */
export async function ensureImage(
  docker: Docker,
  image: string,
  onProgress: (line: string) => void,
): Promise<"present" | "pulled"> {
  if (await imagePresent(docker, image)) return "present";
  onProgress(`Pulling ${image}`);
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.pull(image);
  } catch (error) {
    throw explainPullFailure(image, error);
  }
  const tracker = progressTracker();
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, output: PullEvent[]) => {
        const failed = error ?? output.find((event) => event.error)?.error;
        if (failed) reject(explainPullFailure(image, failed instanceof Error ? failed : new Error(failed)));
        else resolve();
      },
      (event: PullEvent) => {
        const line = tracker.add(event);
        if (line) onProgress(line);
      },
    );
  });
  // A pull can end "successfully" without the image (e.g. a platform mismatch): check.
  if (!(await imagePresent(docker, image))) {
    throw new StepError(`The pull of ${image} finished but the image is not on the host. Check the tag and the host's platform.`);
  }
  return "pulled";
}
