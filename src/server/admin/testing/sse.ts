// Reading a live-logs body (Server-Sent Events) in tests, as a browser's EventSource would.
export type SseEvent = { event: string; data: unknown };

/** Reads events until `enough` says so (or the body ends); returns them and the reader, still open. */
export async function readEvents(
  body: ReadableStream<Uint8Array>,
  enough: (events: SseEvent[]) => boolean,
  timeoutMs = 10_000,
): Promise<{ events: SseEvent[]; reader: ReadableStreamDefaultReader<Uint8Array> }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = "";
  const deadline = Date.now() + timeoutMs;
  while (!enough(events)) {
    if (Date.now() > deadline) throw new Error(`not enough events: ${JSON.stringify(events.slice(-5))}`);
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let at: number;
    while ((at = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) });
    }
  }
  return { events, reader };
}

/** The "line" events: component, stream (out or err) and text. */
export const logLines = (events: SseEvent[]) => events.filter((e) => e.event === "line").map((e) => e.data as { c: string; s: string; t: string });
