// Reaching an instance as a visitor would: resolve its domain (*.localhost is loopback; other
// names through HEARTH_DNS_SERVERS when set), connect to the ingress's HTTPS port, verify the
// certificate for the domain against the public roots (plus the local or test CA's), GET a path.
// Errors are named for a person: no DNS record, nothing listening, no or a wrong certificate.
import "server-only";
import { Resolver, lookup } from "node:dns/promises";
import { request } from "node:https";
import { rootCertificates, type TLSSocket } from "node:tls";
import { isLocalName } from "./settings";

export type HttpsCheck = { domain: string; port: number; path: string; roots: string[]; dnsServers: string[]; timeoutMs?: number };
export type HttpsAnswer = { status: number; body: string; issuer: string };

export class ReachError extends Error {
  constructor(
    readonly kind: "dns" | "connect" | "certificate" | "timeout" | "http",
    message: string,
  ) {
    super(message);
    this.name = "ReachError";
  }
}

export async function resolveAddress(domain: string, dnsServers: string[]): Promise<string> {
  if (isLocalName(domain)) return "127.0.0.1";
  try {
    if (dnsServers.length) {
      const resolver = new Resolver({ timeout: 3_000, tries: 2 });
      resolver.setServers(dnsServers);
      const [address] = await resolver.resolve4(domain);
      if (address) return address;
      throw new Error("no A record");
    }
    return (await lookup(domain, { family: 4 })).address;
  } catch (error) {
    throw new ReachError("dns", `${domain} does not resolve to an address yet (${(error as Error).message}).`);
  }
}

const CERT_CODES = /CERT|SELF_SIGNED|UNABLE_TO|ALTNAME|ERR_SSL|alert|handshake/i;

export async function fetchOverHttps(check: HttpsCheck): Promise<HttpsAnswer> {
  const address = await resolveAddress(check.domain, check.dnsServers);
  const where = `https://${check.domain}:${check.port}`;
  return new Promise<HttpsAnswer>((resolve, reject) => {
    const req = request(
      {
        host: address,
        port: check.port,
        path: check.path,
        method: "GET",
        servername: check.domain,
        headers: { Host: check.port === 443 ? check.domain : `${check.domain}:${check.port}`, "User-Agent": "Hearth reachability check" },
        ca: [...rootCertificates, ...check.roots],
        timeout: check.timeoutMs ?? 10_000,
        agent: false,
      },
      (res) => {
        const cn = (res.socket as TLSSocket).getPeerCertificate?.()?.issuer?.CN ?? "";
        const issuer = Array.isArray(cn) ? cn.join(", ") : cn;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => {
          if (chunks.reduce((n, b) => n + b.length, 0) < 64 * 1024) chunks.push(c);
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), issuer }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new ReachError("timeout", `${where} did not answer within ${(check.timeoutMs ?? 10_000) / 1000} s.`)));
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (error instanceof ReachError) return reject(error);
      if (error.code === "ECONNREFUSED" || error.code === "ECONNRESET" || error.code === "EHOSTUNREACH") {
        return reject(new ReachError("connect", `Nothing answers at ${where} (${error.code}): is the ingress running and its port published?`));
      }
      if (CERT_CODES.test(`${error.code ?? ""} ${error.message}`)) {
        return reject(new ReachError("certificate", `${where} has no valid certificate for ${check.domain} yet (${error.code ?? error.message}).`));
      }
      reject(new ReachError("connect", `${where}: ${error.message}`));
    });
    req.end();
  });
}
