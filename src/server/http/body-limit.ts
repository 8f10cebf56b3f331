// Request body limits for route handlers. A body is refused (413) before anything is read
// when its Content-Length is over the limit, and as soon as the bytes that arrive pass it
// otherwise (chunked uploads), so no handler ever holds more than the limit in memory.
// Server actions have Next's own limit (next.config.mjs, serverActions.bodySizeLimit).
import "server-only";
import { NextRequest } from "next/server";

/** next-auth's forms (sign-in, sign-out, CSRF token, OAuth callbacks) are tiny. */
export const AUTH_BODY_LIMIT = 16 * 1024;

export const payloadTooLarge = (maxBytes: number) =>
  new Response(`Payload Too Large: at most ${maxBytes} bytes.`, { status: 413, headers: { "content-type": "text/plain; charset=utf-8", connection: "close" } });

/** The body's bytes if they are at most `maxBytes`, else null (the rest is never read). */
export async function readBodyLimited(request: Request, maxBytes: number): Promise<Uint8Array | null> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) {
    await request.body?.cancel().catch(() => {});
    return null;
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * For handlers that read the body themselves (next-auth): the request again with its body
 * read within the limit, or a 413 response. Requests without a body pass as they are.
 */
export async function limitBody(request: NextRequest, maxBytes: number): Promise<NextRequest | Response> {
  if (request.method === "GET" || request.method === "HEAD") return hasBody(request) ? payloadTooLarge(0) : request;
  const body = await readBodyLimited(request, maxBytes);
  if (body === null) return payloadTooLarge(maxBytes);
  return new NextRequest(request.url, { method: request.method, headers: request.headers, body: body.byteLength > 0 ? (body as Uint8Array<ArrayBuffer>) : undefined });
}

function hasBody(request: Request): boolean {
  const length = request.headers.get("content-length");
  return (length !== null && length !== "0") || request.headers.has("transfer-encoding");
}

/** For handlers that take no body (GET downloads, streams, health): 413 for one that has one. */
export function refuseBody(request: Request): Response | null {
  return hasBody(request) ? payloadTooLarge(0) : null;
}

/**
 * For handlers that stream a large body to disk (resumable uploads): the request again, its body
 * passed on as it arrives but cut off with an error once it passes `maxBytes`; or a 413 at once
 * when its Content-Length says it would.
 */
export function limitBodyStream(request: Request, maxBytes: number): Request | Response {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) return payloadTooLarge(maxBytes);
  if (!request.body) return request;
  let seen = 0;
  const meter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > maxBytes) controller.error(new Error(`The request body passed its limit of ${maxBytes} bytes.`));
      else controller.enqueue(chunk);
    },
  });
  return new Request(request.url, { method: request.method, headers: request.headers, body: request.body.pipeThrough(meter), signal: request.signal, duplex: "half" } as RequestInit);
}
