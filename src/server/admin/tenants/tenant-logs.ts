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

const MAX_LINE = 8 * 1024;
const HEARTBEAT_MS = 15_000;
// Stop reading Docker while this many bytes wait for a slow browser.
const HIGH_WATER = 256 * 1024;

// Every Docker log stream currently open, so tests (and a health page) can see them close.
const openStreams = new Set<NodeJS.ReadableStream>();
export const openLogStreamCount = () => openStreams.size;

type Source = { component: string; name: string; stream: NodeJS.ReadableStream & { destroy?: () => void } };

function splitter(onLine: (line: string) => void) {
  let rest = "";
  return {
    write(chunk: Buffer) {
      rest += chunk.toString("utf8");
      let at: number;
      while ((at = rest.indexOf("\n")) >= 0) {
        onLine(rest.slice(0, at).replace(/\r$/, "").slice(0, MAX_LINE));
        rest = rest.slice(at + 1);
      }
      if (rest.length > MAX_LINE) {
        onLine(rest.slice(0, MAX_LINE));
        rest = "";
      }
    },
    flush() {
      if (rest) onLine(rest.slice(0, MAX_LINE));
      rest = "";
    },
  };
}

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

const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

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
  const filters = await labelFilters(input.communityId);
  if (input.query.component !== "all") filters.label.push(`${LABEL.component}=${input.query.component}`);
  const listed = await client.listContainers({ all: true, filters, abortSignal: AbortSignal.timeout(3_000) });
  if (listed.length === 0) throw new AppError("NOT_FOUND", "This tenant has no such container.");

  const sources: Source[] = [];
  const closeAll = () => {
    for (const source of sources) {
      source.stream.destroy?.();
      openStreams.delete(source.stream);
    }
  };
  try {
    for (const c of listed) {
      const container = client.getContainer(c.Id);
      const tty = (await container.inspect()).Config.Tty;
      const stream = (await container.logs({
        follow: true,
        stdout: true,
        stderr: true,
        tail: input.query.tail,
        timestamps: true,
      })) as unknown as Source["stream"];
      openStreams.add(stream);
      sources.push({ component: c.Labels?.[LABEL.component] ?? "unknown", name: (c.Names[0] ?? c.Id).replace(/^\//, ""), stream: Object.assign(stream, { tty }) });
    }
  } catch (error) {
    closeAll();
    throw error;
  }
  if (input.signal.aborted) {
    closeAll();
    throw new AppError("BAD_REQUEST", "The request was cancelled.");
  }

  const encoder = new TextEncoder();
  let closed = false;
  let heartbeat: NodeJS.Timeout | undefined;
  let ended = 0;
  const cleanup = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    input.signal.removeEventListener("abort", onAbort);
    closeAll();
    giveBack();
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
        send(`retry: 5000\n${sse("containers", { containers: sources.map((s) => ({ component: s.component, name: s.name })) })}`);
        for (const source of sources) {
          const lines = (kind: "out" | "err") => {
            const split = splitter((line) => send(sse("line", { c: source.component, s: kind, t: line })));
            const through = new PassThrough();
            through.on("data", (chunk: Buffer) => split.write(chunk));
            through.on("end", () => split.flush());
            return through;
          };
          const out = lines("out");
          const err = lines("err");
          if ((source.stream as { tty?: boolean }).tty) source.stream.pipe(out);
          else client.modem.demuxStream(source.stream, out, err);
          const finish = () => {
            out.end();
            err.end();
            openStreams.delete(source.stream);
            send(sse("ended", { c: source.component }));
            ended += 1;
            if (ended === sources.length && !closed) {
              // Tells EventSource not to reconnect: there is nothing left to follow.
              send(sse("end", {}));
              cleanup();
              controller.close();
            }
          };
          source.stream.once("end", finish);
          source.stream.once("error", (error: Error) => {
            if (!closed) log.warn("log stream failed", { communityId: input.communityId, component: source.component, error: error.message });
            finish();
          });
        }
        heartbeat = setInterval(() => send(": keep-alive\n\n"), HEARTBEAT_MS);
        input.signal.addEventListener("abort", onAbort, { once: true });
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
