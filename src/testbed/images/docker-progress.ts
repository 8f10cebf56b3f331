// Small dockerode helpers the test-bed image builds share.
import type Docker from "dockerode";

export async function imageExists(docker: Docker, tag: string): Promise<boolean> {
  try {
    await docker.getImage(tag).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

type Progress = { error?: string; errorDetail?: { message?: string }; stream?: string };

/** Drains a build/import/pull stream; rejects with the engine's error and the output's tail. */
export async function followDockerProgress(docker: Docker, stream: NodeJS.ReadableStream, what: string, onLine?: (line: string) => void) {
  const tail: string[] = [];
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, output: Progress[]) => {
        const failed = error?.message ?? output.find((o) => o.error)?.error;
        if (failed) reject(new Error(`${what} failed: ${failed}\n${tail.join("")}`));
        else resolve();
      },
      (event: Progress) => {
        if (!event.stream) return;
        tail.push(event.stream);
        if (tail.length > 40) tail.shift();
        onLine?.(event.stream);
      },
    );
  });
}
