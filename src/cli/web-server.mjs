// The web process (`npm start` runs it instead of `next start`): Next.js behind Node's own
// HTTP server, because a Next route handler, server action or proxy cannot see the socket
// (Next copies the socket address into X-Forwarded-For only when the client sent none, so a
// client could always choose its own address). Here every request gets
// `x-hearth-client-address`, computed from the socket and HEARTH_TRUSTED_PROXIES, replacing
// whatever the client sent under that name; src/server/auth/client-address.ts reads it.
import { createServer } from "node:http";
import next from "next";
import { clientFromChain } from "./forwarded-chain.mjs";

export const CLIENT_ADDRESS_HEADER = "x-hearth-client-address";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? "127.0.0.1";
const trustedProxies = Number(process.env.HEARTH_TRUSTED_PROXIES ?? 0);
// Read by client-address.ts in this same process: the header is only believed when set here.
process.env.HEARTH_CLIENT_ADDRESS_HEADER = "1";

const server = createServer();
const app = next({ dev, hostname, port, dir: process.cwd(), httpServer: server });
const handle = app.getRequestHandler();
await app.prepare();

/** Next answers 500 to a path whose percent-encoding is malformed ("/c/%E0%A4%A"): it is a bad request. */
function malformedPath(url = "/") {
  try {
    decodeURIComponent(url.split("?")[0] ?? "");
    return false;
  } catch {
    return true;
  }
}

server.on("request", (req, res) => {
  if (malformedPath(req.url)) {
    res.writeHead(400, {
      "content-type": "text/plain; charset=utf-8",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
      "x-frame-options": "DENY",
      "referrer-policy": "strict-origin-when-cross-origin",
    });
    res.end("Bad Request: the address is not valid.");
    return;
  }
  const client = clientFromChain(req.headers["x-forwarded-for"], req.socket.remoteAddress, trustedProxies);
  req.headers[CLIENT_ADDRESS_HEADER] = client;
  // Next and anything else reading X-Forwarded-For see the same single answer.
  req.headers["x-forwarded-for"] = client === "unknown" ? (req.socket.remoteAddress ?? "") : client;
  void handle(req, res);
});
server.listen(port, hostname, () => console.log(`web: listening on http://${hostname}:${port}${dev ? " (dev)" : ""}`));

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections?.();
  setTimeout(() => process.exit(0), 5_000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
