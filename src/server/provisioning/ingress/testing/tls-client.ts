// Test clients that talk to the ingress as a browser would, over the published HTTPS port with
// the name in SNI and Host, trusting only the roots they are given (no verification switched off).
import { createHash, randomBytes } from "node:crypto";
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
