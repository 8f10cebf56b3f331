// Waiting on containers (healthy, or exited for one-shots), reading their last log lines and
// running a command inside one. Streams are demultiplexed with the modem's demuxStream.
import "server-only";
import { PassThrough, Readable } from "node:stream";
import type Docker from "dockerode";
import { StepError } from "./docker-errors";

const POLL_MS = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function demux(docker: Docker, source: NodeJS.ReadableStream): Promise<{ stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  out.on("data", (c: Buffer) => chunks.stdout.push(c));
  err.on("data", (c: Buffer) => chunks.stderr.push(c));
  docker.modem.demuxStream(source, out, err);
  await new Promise<void>((resolve, reject) => {
    source.on("end", resolve);
    source.on("close", resolve);
    source.on("error", reject);
  });
  return { stdout: Buffer.concat(chunks.stdout).toString("utf8"), stderr: Buffer.concat(chunks.stderr).toString("utf8") };
}

/** The container's last lines of output, for an error message (never for secrets: apps log none). */
export async function logTail(docker: Docker, name: string, lines = 15): Promise<string> {
  try {
    const buffer = await docker.getContainer(name).logs({ stdout: true, stderr: true, tail: lines, follow: false });
    const { stdout, stderr } = await demux(docker, Readable.from([buffer]));
    return `${stdout}${stderr}`.trim().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

const withLogs = (message: string, logs: string) => (logs ? `${message} Last output:\n${logs}` : message);

/** Resolves when Docker reports the container healthy (or running, without a health check). */
export async function waitHealthy(docker: Docker, name: string, timeoutSeconds: number): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  const container = docker.getContainer(name);
  for (;;) {
    const { State } = await container.inspect();
    const health = State.Health?.Status;
    if (State.Running && (health === "healthy" || health === undefined)) return;
    if (!State.Running && !State.Restarting) {
      const logs = await logTail(docker, name);
      throw new StepError(withLogs(`The ${name} container stopped (exit code ${State.ExitCode}).`, logs));
    }
    if (Date.now() > deadline) {
      const logs = await logTail(docker, name);
      throw new StepError(
        withLogs(`The ${name} container was not healthy after ${timeoutSeconds} s (health: ${health ?? "none"}).`, logs),
      );
    }
    await sleep(POLL_MS);
  }
}

/** For one-shot containers: resolves when it has exited 0. */
export async function waitExitedOk(docker: Docker, name: string, timeoutSeconds: number): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  const container = docker.getContainer(name);
  for (;;) {
    const { State } = await container.inspect();
    if (!State.Running && !State.Restarting && State.Status === "exited") {
      if (State.ExitCode === 0) return;
      const logs = await logTail(docker, name);
      throw new StepError(withLogs(`${name} failed with exit code ${State.ExitCode}.`, logs));
    }
    if (Date.now() > deadline) throw new StepError(`${name} did not finish within ${timeoutSeconds} s.`);
    await sleep(POLL_MS);
  }
}

export type ExecResult = { exitCode: number; stdout: string; stderr: string };

/** Runs a command (arguments as data, no shell) inside a running container. */
export async function execIn(docker: Docker, name: string, cmd: string[], timeoutSeconds = 120): Promise<ExecResult> {
  const exec = await docker.getContainer(name).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      stream.destroy?.();
      reject(new StepError(`${cmd[0]} in ${name} did not finish within ${timeoutSeconds} s.`));
    }, timeoutSeconds * 1000);
  });
  try {
    const output = await Promise.race([demux(docker, stream), timeout]);
    // The stream can end a moment before the exec is marked finished.
    for (let i = 0; i < 50; i++) {
      const state = await exec.inspect();
      if (!state.Running) return { exitCode: state.ExitCode ?? -1, ...output };
      await sleep(20);
    }
    return { exitCode: -1, ...output };
  } finally {
    clearTimeout(timer);
  }
}
