// Test clients that talk to the ingress as a browser would, over the published HTTPS port with
// the name in SNI and Host, trusting only the roots they are given (no verification switched off).
import { createHash, randomBytes } from "node:crypto";
import { request as httpsRequest } from "node:https";
import { connect, type PeerCertificate } from "node:tls";

export type Target = { domain: string; port: number; roots: string[] };

/** The certificate the ingress presents for `domain`, or the handshake's error. */
export function handshake(target: Target): Promise<{ ok: true; cert: PeerCertificate } | { ok: false; error: string }> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port: target.port, servername: target.domain, ca: target.roots }, () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      resolve({ ok: true, cert });
    });
    socket.on("error", (error) => resolve({ ok: false, error: error.message }));
  });
}

/**
 * A WebSocket opening handshake over TLS, checked as RFC 6455 says (101, Sec-WebSocket-Accept
 * from our key), then the first frame the server sends, as text.
 */
export function websocketFirstMessage(target: Target, path: string): Promise<{ status: string; message: string }> {
  const key = randomBytes(16).toString("base64");
  const expected = createHash("sha1").update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port: target.port, servername: target.domain, ca: target.roots }, () => {
      socket.write(
        [
          `GET ${path} HTTP/1.1`,
          `Host: ${target.domain}:${target.port}`,
          "Upgrade: websocket",
          "Connection: Upgrade",
          `Sec-WebSocket-Key: ${key}`,
          "Sec-WebSocket-Version: 13",
          "",
          "",
        ].join("\r\n"),
      );
    });
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no WebSocket message; got ${JSON.stringify(buffer.toString("latin1"))}`));
    }, 30_000);
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = buffer.subarray(0, end).toString("latin1");
      const status = head.split("\r\n")[0] ?? "";
      const accept = /sec-websocket-accept:\s*(\S+)/i.exec(head)?.[1];
      if (!status.includes(" 101 ") || accept !== expected) {
        clearTimeout(timer);
        socket.destroy();
        return reject(new Error(`not a WebSocket upgrade: ${head}`));
      }
      const frame = buffer.subarray(end + 4);
      if (frame.length < 2) return;
      const length = (frame[1] ?? 0) & 0x7f;
      if (frame.length < 2 + length) return;
      clearTimeout(timer);
      socket.destroy();
      resolve({ status, message: frame.subarray(2, 2 + length).toString("utf8") });
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** One HTTPS request to the ingress as a visitor makes it (name in SNI and Host); the answer as text. */
export function httpsText(
  target: Target,
  request: { method?: "GET" | "POST"; path: string; body?: string; headers?: Record<string, string> },
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: "127.0.0.1",
        port: target.port,
        servername: target.domain,
        ca: target.roots,
        method: request.method ?? "GET",
        path: request.path,
        headers: { Host: `${target.domain}:${target.port}`, ...request.headers },
        agent: false,
        timeout: 60_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer from https://${target.domain}${request.path}`)));
    req.on("error", reject);
    req.end(request.body);
  });
}
