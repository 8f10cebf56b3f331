// Live logs of a tenant's containers as Server-Sent Events. Each container's log stream
// (dockerode `logs` with follow) is demultiplexed into stdout and stderr with the modem's
// demuxStream, cut into lines, and sent as one event per line. The Docker streams are
// destroyed as soon as the browser goes away (the request's abort signal) or stops reading
// (the body is cancelled): a forgotten tab must not keep connections to the engine open.
import "server-only";
import { PassThrough } from "node:stream";
import type Docker from "dockerode";
import { z } from "zod";
import { docker } from "@/server/docker/client";
import { LABEL, labelFilters } from "@/server/docker/labels";
import { AppError } from "@/server/errors/app-error";
import { log } from "@/server/log";
import { lineSplitter, sseEvent } from "./log-lines";

export const logsQuerySchema = z.object({
  component: z
    .string()
    .regex(/^(all|[a-z][a-z0-9-]{0,30})$/, "component: all, or one component name such as web")
    .default("all"),
  tail: z.coerce
    .number({ message: "tail: a number of lines" })
    .int("tail: a whole number of lines")
    .min(0, "tail: at least 0 lines")
    .max(5000, "tail: at most 5000 lines")
    .default(200),
});
export type LogsQuery = z.output<typeof logsQuerySchema>;

const HEARTBEAT_MS = 15_000;
// Stop reading Docker while this many bytes wait for a slow browser.
const HIGH_WATER = 256 * 1024;

// Every Docker log stream currently open, so tests (and a health page) can see them close.
const openStreams = new Set<NodeJS.ReadableStream>();
export const openLogStreamCount = () => openStreams.size;

type LogStream = NodeJS.ReadableStream & { destroy?: () => void };
/** One container's log stream; a container with a TTY sends its output as is, not multiplexed. */
type Source = { component: string; name: string; tty: boolean; stream: LogStream };

/** Live log views one admin may hold open at once (each holds Docker streams and a connection). */
export const MAX_LOG_STREAMS_PER_ADMIN = 3;
const viewsByAdmin = new Map<string, number>();
export const openLogViewsOf = (actorId: string) => viewsByAdmin.get(actorId) ?? 0;

/** Takes one of the admin's log views, or refuses; the returned function gives it back (once). */
function takeLogView(actorId: string): () => void {
  const open = openLogViewsOf(actorId);
  if (open >= MAX_LOG_STREAMS_PER_ADMIN) {
    throw new AppError("RATE_LIMITED", `You have ${open} live log views open. Close one (or wait for it to end) before opening another.`);
  }
  viewsByAdmin.set(actorId, open + 1);
  let given = false;
  return () => {
    if (given) return;
    given = true;
    const left = openLogViewsOf(actorId) - 1;
    if (left > 0) viewsByAdmin.set(actorId, left);
    else viewsByAdmin.delete(actorId);
  };
}

/**
 * Opens the logs of the tenant's containers (one component, or all) and returns the SSE body.
 * Throws NOT_FOUND when the tenant has no such container.
 */
export async function openTenantLogs(input: {
  communityId: string;
  /** The admin watching: each may hold MAX_LOG_STREAMS_PER_ADMIN views at once. */
  actorId: string;
  query: LogsQuery;
  signal: AbortSignal;
  client?: Docker;
}): Promise<ReadableStream<Uint8Array>> {
  const giveBack = takeLogView(input.actorId);
  try {
    return await openLogs(input, giveBack);
  } catch (error) {
    giveBack();
    throw error;
  }
}

async function openLogs(
  input: { communityId: string; query: LogsQuery; signal: AbortSignal; client?: Docker },
  giveBack: () => void,
): Promise<ReadableStream<Uint8Array>> {
  const client = input.client ?? docker();
  const listed = await listContainers(client, input.communityId, input.query.component);
  const sources = await openSources(client, listed, input.query.tail);
  if (input.signal.aborted) {
    closeSources(sources);
    throw new AppError("BAD_REQUEST", "The request was cancelled.");
  }
  return eventStream({ client, sources, communityId: input.communityId, signal: input.signal, giveBack });
}

/** The tenant's containers (by label), of one component or all; NOT_FOUND when there is none. */
async function listContainers(client: Docker, communityId: string, component: string): Promise<Docker.ContainerInfo[]> {
  const filters = await labelFilters(communityId);
  if (component !== "all") filters.label.push(`${LABEL.component}=${component}`);
  const listed = await client.listContainers({ all: true, filters, abortSignal: AbortSignal.timeout(3_000) });
  if (listed.length === 0) throw new AppError("NOT_FOUND", "This tenant has no such container.");
  return listed;
}

/** A following log stream per container; if one cannot be opened, those already open are closed. */
async function openSources(client: Docker, listed: Docker.ContainerInfo[], tail: number): Promise<Source[]> {
  const sources: Source[] = [];
  try {
    for (const c of listed) sources.push(await openSource(client, c, tail));
  } catch (error) {
    closeSources(sources);
    throw error;
  }
  return sources;
}

async function openSource(client: Docker, c: Docker.ContainerInfo, tail: number): Promise<Source> {
  const container = client.getContainer(c.Id);
  const tty = (await container.inspect()).Config.Tty;
  const stream = (await container.logs({ follow: true, stdout: true, stderr: true, tail, timestamps: true })) as unknown as LogStream;
  openStreams.add(stream);
  return { component: c.Labels?.[LABEL.component] ?? "unknown", name: (c.Names[0] ?? c.Id).replace(/^\//, ""), tty, stream };
}

function closeSources(sources: Source[]): void {
  for (const source of sources) {
    source.stream.destroy?.();
    openStreams.delete(source.stream);
  }
}

/**
 * The SSE body: the list of containers, then their lines as they come, a heartbeat, "ended" per
 * container and "end" after the last. Everything is closed and the admin's view given back once,
 * whichever comes first: the browser leaves, it cancels the body, or every stream ended.
 */
function eventStream(view: { client: Docker; sources: Source[]; communityId: string; signal: AbortSignal; giveBack: () => void }): ReadableStream<Uint8Array> {
  const { sources, signal } = view;
  const encoder = new TextEncoder();
  let closed = false;
  let heartbeat: NodeJS.Timeout | undefined;
  let ended = 0;
  const cleanup = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    signal.removeEventListener("abort", onAbort);
    closeSources(sources);
    view.giveBack();
  };
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | undefined;
  const onAbort = () => {
    cleanup();
    try {
      controllerRef?.close();
    } catch {
      // already closed
    }
  };

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controllerRef = controller;
        const send = (text: string) => {
          if (closed) return;
          controller.enqueue(encoder.encode(text));
          if ((controller.desiredSize ?? 1) <= 0) for (const s of sources) s.stream.pause();
        };
        const onSourceEnded = () => {
          ended += 1;
          if (ended === sources.length && !closed) {
            // Tells EventSource not to reconnect: there is nothing left to follow.
            send(sseEvent("end", {}));
            cleanup();
            controller.close();
          }
        };
        send(`retry: 5000\n${sseEvent("containers", { containers: sources.map((s) => ({ component: s.component, name: s.name })) })}`);
        for (const source of sources) {
          followSource(view.client, source, send, onSourceEnded, (error) => {
            if (!closed) log.warn("log stream failed", { communityId: view.communityId, component: source.component, error: error.message });
          });
        }
        heartbeat = setInterval(() => send(": keep-alive\n\n"), HEARTBEAT_MS);
        signal.addEventListener("abort", onAbort, { once: true });
      },
      pull() {
        for (const s of sources) s.stream.resume();
      },
      cancel() {
        cleanup();
      },
    },
    { highWaterMark: HIGH_WATER, size: (chunk) => chunk.byteLength },
  );
}

/**
 * Sends each line of the container's stdout and stderr as a "line" event, then "ended" once
 * its stream ends or fails (after `onError`), then calls `onEnded`.
 */
function followSource(client: Docker, source: Source, send: (text: string) => void, onEnded: () => void, onError: (error: Error) => void): void {
  const lines = (kind: "out" | "err") => {
    const split = lineSplitter((line) => send(sseEvent("line", { c: source.component, s: kind, t: line })));
    const through = new PassThrough();
    through.on("data", (chunk: Buffer) => split.write(chunk));
    through.on("end", () => split.flush());
    return through;
  };
  const out = lines("out");
  const err = lines("err");
  if (source.tty) source.stream.pipe(out);
  else client.modem.demuxStream(source.stream, out, err);
  const finish = () => {
    out.end();
    err.end();
    openStreams.delete(source.stream);
    send(sseEvent("ended", { c: source.component }));
    onEnded();
  };
  source.stream.once("end", finish);
  source.stream.once("error", (error: Error) => {
    onError(error);
    finish();
  });
}
