// A real ACME CA and DNS for tests: Debian's pebble (Let's Encrypt's ACME test server) and
// pebble-challtestsrv (a DNS server whose records are set over HTTP), as processes on free ports.
// Pebble answers on the Docker bridge's gateway address, so Caddy in a container reaches it; its
// listener certificate (made here with openssl, for that address) and the root it issues from
// are written to one PEM file for HEARTH_ACME_CA_ROOTS. Pebble validates HTTP-01 on the
// ingress's published HTTP port, resolving names through challtestsrv only.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { get } from "node:https";

function httpsGet(url: string, ca: string): Promise<{ ok: boolean; text: string }> {
  return new Promise((resolve, reject) => {
    get(url, { ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ ok: (res.statusCode ?? 0) < 300, text: Buffer.concat(chunks).toString("utf8") }));
    }).on("error", reject);
  });
}

export type AcmeTestbed = {
  directory: string;
  rootsFile: string;
  dnsServer: string;
  addA: (host: string, address: string) => Promise<void>;
  clearA: (host: string) => Promise<void>;
  stop: () => Promise<void>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, child: ChildProcess, log: () => string) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}): ${log()}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not come up: ${log()}`);
}

export async function startAcmeTestbed(gateway: string, httpPort: number): Promise<AcmeTestbed> {
  const dir = mkdtempSync(join(tmpdir(), "hearth-acme-"));
  const [acmePort, mgmtPort, dnsPort, dnsMgmtPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const made = spawnSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
    "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-subj", "/CN=pebble",
    "-addext", `subjectAltName=IP:${gateway},IP:127.0.0.1,DNS:localhost`,
  ], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  writeFileSync(join(dir, "pebble.json"), JSON.stringify({
    pebble: {
      listenAddress: `0.0.0.0:${acmePort}`,
      managementListenAddress: `127.0.0.1:${mgmtPort}`,
      certificate: join(dir, "cert.pem"),
      privateKey: join(dir, "key.pem"),
      httpPort,
      tlsPort: await freePort(),
      ocspResponderURL: "",
      externalAccountBindingRequired: false,
    },
  }));
  const logs: Record<string, string> = { dns: "", pebble: "" };
  const keep = (name: string) => (chunk: Buffer) => (logs[name] = (logs[name] + chunk.toString()).slice(-4000));
  // No default answers: a name resolves only once the test gives it a record.
  const dns = spawn("pebble-challtestsrv", [
    "-defaultIPv4", "", "-defaultIPv6", "", "-dns01", `127.0.0.1:${dnsPort}`, "-http01", "", "-https01", "", "-tlsalpn01", "",
    "-management", `127.0.0.1:${dnsMgmtPort}`,
  ], { stdio: ["ignore", "pipe", "pipe"] });
  dns.stdout?.on("data", keep("dns"));
  dns.stderr?.on("data", keep("dns"));
  const pebble = spawn("pebble", ["-config", join(dir, "pebble.json"), "-dnsserver", `127.0.0.1:${dnsPort}`], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PEBBLE_VA_NOSLEEP: "1", PEBBLE_WFE_NONCEREJECT: "0", PEBBLE_AUTHZREUSE: "0" },
  });
  pebble.stdout?.on("data", keep("pebble"));
  pebble.stderr?.on("data", keep("pebble"));
  const ca = readFileSync(join(dir, "cert.pem"), "utf8");
  const stop = async () => {
    for (const child of [pebble, dns]) if (child.exitCode === null) child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor("pebble-challtestsrv", async () => (await fetch(`http://127.0.0.1:${dnsMgmtPort}/`)).status > 0, dns, () => logs.dns ?? "");
    await waitFor("pebble", async () => (await httpsGet(`https://127.0.0.1:${acmePort}/dir`, ca)).ok, pebble, () => logs.pebble ?? "");
    const root = (await httpsGet(`https://127.0.0.1:${mgmtPort}/roots/0`, ca)).text;
    const rootsFile = join(dir, "roots.pem");
    writeFileSync(rootsFile, `${readFileSync(join(dir, "cert.pem"), "utf8")}\n${root}\n`);
    return {
      directory: `https://${gateway}:${acmePort}/dir`,
      rootsFile,
      dnsServer: `127.0.0.1:${dnsPort}`,
      addA: async (host, address) => {
        const res = await fetch(`http://127.0.0.1:${dnsMgmtPort}/add-a`, { method: "POST", body: JSON.stringify({ host: `${host}.`, addresses: [address] }) });
        if (!res.ok) throw new Error(`challtestsrv add-a: ${res.status}`);
      },
      clearA: async (host) => {
        const res = await fetch(`http://127.0.0.1:${dnsMgmtPort}/clear-a`, { method: "POST", body: JSON.stringify({ host: `${host}.` }) });
        if (!res.ok) throw new Error(`challtestsrv clear-a: ${res.status}`);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
