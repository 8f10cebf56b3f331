// A real DNS server for tests of the own-domain checks: Debian's pebble-challtestsrv as a process
// on free loopback ports, answering only the A and AAAA records a test sets over its HTTP management API.
// (The ACME test bed, src/server/provisioning/ingress/testing/acme-testbed.ts, runs one beside pebble.)
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";

export type DnsTestServer = {
  /** For HEARTH_DNS_SERVERS. */
  server: string;
  setA: (host: string, addresses: string[]) => Promise<void>;
  clearA: (host: string) => Promise<void>;
  setAAAA: (host: string, addresses: string[]) => Promise<void>;
  clearAAAA: (host: string) => Promise<void>;
  stop: () => void;
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export async function startDnsTestServer(): Promise<DnsTestServer> {
  const [dnsPort, managementPort] = [await freePort(), await freePort()];
  let output = "";
  // No default answers: a name resolves only once the test gives it a record.
  const child = spawn(
    "pebble-challtestsrv",
    ["-defaultIPv4", "", "-defaultIPv6", "", "-dns01", `127.0.0.1:${dnsPort}`, "-http01", "", "-https01", "", "-tlsalpn01", "", "-management", `127.0.0.1:${managementPort}`],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const manage = async (path: string, body: object) => {
    const response = await fetch(`http://127.0.0.1:${managementPort}${path}`, { method: "POST", body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`challtestsrv ${path}: HTTP ${response.status}`);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pebble-challtestsrv exited (${child.exitCode}): ${output}`);
    if (await fetch(`http://127.0.0.1:${managementPort}/`).then(() => true, () => false)) break;
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`pebble-challtestsrv did not come up: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    server: `127.0.0.1:${dnsPort}`,
    setA: async (host, addresses) => {
      await manage("/clear-a", { host: `${host}.` });
      await manage("/add-a", { host: `${host}.`, addresses });
    },
    clearA: (host) => manage("/clear-a", { host: `${host}.` }),
    setAAAA: async (host, addresses) => {
      await manage("/clear-aaaa", { host: `${host}.` });
      await manage("/add-aaaa", { host: `${host}.`, addresses });
    },
    clearAAAA: (host) => manage("/clear-aaaa", { host: `${host}.` }),
    stop: () => {
      if (child.exitCode === null) child.kill("SIGTERM");
    },
  };
}

/**
 * A DNS server for a test file that is the resolver Hearth asks (HEARTH_DNS_SERVERS), with the
 * ingress's host name (HEARTH_INGRESS_HOSTNAME, unique per run) answering `address` (an A record)
 * and `address6` (an AAAA record, when given): what an own domain must point at.
 */
export async function startHostDns(address: string, address6?: string): Promise<{ dns: DnsTestServer; host: string }> {
  const dns = await startDnsTestServer();
  const host = `ingress-${randomBytes(4).toString("hex")}.hearth.test`;
  Object.assign(process.env, { HEARTH_DNS_SERVERS: dns.server, HEARTH_INGRESS_HOSTNAME: host });
  await dns.setA(host, [address]);
  if (address6) await dns.setAAAA(host, [address6]);
  return { dns, host };
}
