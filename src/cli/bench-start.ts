// `npm run bench:start [-- rounds]`: how long `npm start` takes on existing data, from the
// command to the first page (GET / answering 200), against a bare `next start` of the same
// build. Uses its own data folder (.hearth/bench-start: embedded PostgreSQL, Stripe emulator
// state), made by a first start that is not counted. PORT and HEARTH_DB_PORT are taken from
// the environment (defaults 3000, 54329). Needs a production build (`npm run build`); the
// run command would otherwise build first.
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";

const rounds = Number(process.argv[2] ?? 5);
const port = Number(process.env.PORT ?? 3000);
const dataDir = resolve(".hearth/bench-start");
const address = `http://127.0.0.1:${port}/`;

async function firstPage(child: ChildProcess, started: number): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the process exited (${child.exitCode}) before serving a page`);
    try {
      const response = await fetch(address, { signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      if (response.status === 200) return (performance.now() - started) / 1000;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  process.kill(-child.pid!, "SIGINT"); // the whole group: npm, the run command and its children
  const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 30_000);
  await exited;
  clearTimeout(timer);
  await new Promise((r) => setTimeout(r, 500)); // the port and the database's socket are released
}

async function time(command: string, args: string[], env: NodeJS.ProcessEnv, log: string[]): Promise<number> {
  const started = performance.now();
  const child = spawn(command, args, { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  try {
    return await firstPage(child, started);
  } finally {
    await stop(child);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main() {
  const env: NodeJS.ProcessEnv = { ...process.env, HEARTH_DATA_DIR: dataDir, PORT: String(port), NODE_ENV: "production", HEARTH_PAYMENTS: "emulator", NEXT_TELEMETRY_DISABLED: "1" };
  const log: string[] = [];
  try {
    const first = await time("npm", ["start"], env, log);
    console.log(`first start (new data folder, not counted): ${first.toFixed(2)} s`);
    const starts: number[] = [];
    for (let i = 0; i < rounds; i++) {
      log.length = 0;
      starts.push(await time("npm", ["start"], env, log));
      console.log(`npm start on existing data: ${starts.at(-1)!.toFixed(2)} s`);
    }
    console.log(`output of the last start:\n${log.join("").trimEnd()}`);
    const bare: number[] = [];
    for (let i = 0; i < rounds; i++) bare.push(await time("node_modules/.bin/next", ["start", "-p", String(port), "-H", "127.0.0.1"], env, []));
    console.log(`\nnpm start to first page on existing data: median ${median(starts).toFixed(2)} s of ${rounds} (${starts.map((s) => s.toFixed(2)).join(", ")}) (target under 2.5 s)`);
    console.log(`bare next start of the same build: median ${median(bare).toFixed(2)} s (${bare.map((s) => s.toFixed(2)).join(", ")})`);
  } catch (error) {
    console.error(log.join(""));
    throw error;
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
