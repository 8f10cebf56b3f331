// Waiting on containers (healthy, or exited for one-shots), reading their last log lines and
// running a command inside one. Streams are demultiplexed with the modem's demuxStream.
import "server-only";
import { Readable, Writable } from "node:stream";
import type Docker from "dockerode";
import { StepError } from "./docker-errors";

const POLL_MS = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A writable that keeps what it is given, for short outputs read as text. */
function collector() {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

/**
 * Splits Docker's multiplexed stream into `stdout` and `stderr`; resolves when the source ends.
 * demuxStream writes without regard to backpressure, so the source is paused while `stdout` is
 * full (a database dump must not pile up in memory when the disk is slower than Docker).
 */
function demuxInto(docker: Docker, source: NodeJS.ReadableStream, stdout: Writable, stderr: Writable): Promise<void> {
  docker.modem.demuxStream(source, stdout, stderr);
  source.on("data", () => {
    if (stdout.writableNeedDrain) source.pause();
  });
  stdout.on("drain", () => source.resume());
  return new Promise<void>((resolve, reject) => {
    source.on("end", resolve);
    source.on("close", resolve);
    source.on("error", reject);
  });
}

async function demux(docker: Docker, source: NodeJS.ReadableStream): Promise<{ stdout: string; stderr: string }> {
  const out = collector();
  const err = collector();
  await demuxInto(docker, source, out.stream, err.stream);
  return { stdout: out.text(), stderr: err.text() };
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
export type ExecOptions = {
  timeoutSeconds?: number;
  /** Extra environment of the command (e.g. a password, kept off the command line). */
  env?: string[];
  /**
   * The user to run as (default: the container's). Root in a container whose capabilities were
   * dropped cannot read another user's private files: read them as their owner.
   */
  user?: string;
};

/**
 * Runs a command (arguments as data, no shell) inside a running container, its standard output
 * streamed into `stdout`; resolves with the exit code and the standard error as text.
 */
export async function execStreaming(docker: Docker, name: string, cmd: string[], stdout: Writable, options: ExecOptions = {}): Promise<{ exitCode: number; stderr: string }> {
  const timeoutSeconds = options.timeoutSeconds ?? 120;
  const exec = await docker.getContainer(name).exec({ Cmd: cmd, Env: options.env, User: options.user, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const stderr = collector();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      stream.destroy?.();
      reject(new StepError(`${cmd[0]} in ${name} did not finish within ${timeoutSeconds} s.`));
    }, timeoutSeconds * 1000);
  });
  try {
    await Promise.race([demuxInto(docker, stream, stdout, stderr.stream), timeout]);
    // The stream can end a moment before the exec is marked finished.
    for (let i = 0; i < 50; i++) {
      const state = await exec.inspect();
      if (!state.Running) return { exitCode: state.ExitCode ?? -1, stderr: stderr.text() };
      await sleep(20);
    }
    return { exitCode: -1, stderr: stderr.text() };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs a command (arguments as data, no shell) inside a running container; output as text. */
export async function execIn(docker: Docker, name: string, cmd: string[], timeoutSeconds = 120, env?: string[], user?: string): Promise<ExecResult> {
  const stdout = collector();
  const result = await execStreaming(docker, name, cmd, stdout.stream, { timeoutSeconds, env, user });
  return { ...result, stdout: stdout.text() };
}
