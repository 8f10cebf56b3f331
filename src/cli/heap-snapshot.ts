// `npm run heap:snapshot -- <pid> <file> [port]`: writes a V8 heap snapshot of a running
// Node process (e.g. the web app's next-server) without restarting it: SIGUSR1 opens its
// inspector on 127.0.0.1:<port> (default 9229), and the snapshot is taken over the DevTools
// protocol. `npm run heap:diff -- <before> <after>` then shows what grew between two snapshots.
import { createWriteStream } from "node:fs";

const [pidArg, file, portArg] = process.argv.slice(2);
if (!pidArg || !file) {
  console.error("usage: heap-snapshot <pid> <file> [inspector port]");
  process.exit(2);
}
const port = Number(portArg ?? 9229);

async function target(): Promise<string> {
  for (let i = 0; i < 50; i++) {
    try {
      const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
      if (list[0]) return list[0].webSocketDebuggerUrl;
    } catch {
      // not open yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no inspector on port ${port} (is it taken by another process?)`);
}

async function main() {
  process.kill(Number(pidArg), "SIGUSR1");
  const socket = new WebSocket(await target());
  const out = createWriteStream(file!);
  let bytes = 0;
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => {
      socket.send(JSON.stringify({ id: 1, method: "HeapProfiler.enable" }));
      socket.send(JSON.stringify({ id: 2, method: "HeapProfiler.collectGarbage" }));
      socket.send(JSON.stringify({ id: 3, method: "HeapProfiler.takeHeapSnapshot", params: { reportProgress: false } }));
    });
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; method?: string; params?: { chunk: string } };
      if (message.method === "HeapProfiler.addHeapSnapshotChunk") {
        bytes += message.params!.chunk.length;
        out.write(message.params!.chunk);
      }
      if (message.id === 3) {
        socket.close();
        out.end(() => resolve());
      }
    });
    socket.addEventListener("error", () => reject(new Error("inspector connection failed")));
  });
  console.log(`wrote ${file} (${(bytes / 1e6).toFixed(1)} MB)`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
