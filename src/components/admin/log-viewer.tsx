"use client";
// Live logs of a tenant: an EventSource on the logs route, opened only when asked for and
// closed when stopped or when the page goes away (the server then closes the Docker streams).
import { useEffect, useRef, useState } from "react";

type Line = { c: string; s: "out" | "err"; t: string };
const KEEP = 2000;

export function LogViewer({ tenantId, components }: { tenantId: string; components: string[] }) {
  const [component, setComponent] = useState("all");
  const [tail, setTail] = useState("200");
  const [lines, setLines] = useState<Line[]>([]);
  const [status, setStatus] = useState("Not connected.");
  const [connected, setConnected] = useState(false);
  const source = useRef<EventSource | null>(null);

  const stop = (message = "Stopped.") => {
    source.current?.close();
    source.current = null;
    setConnected(false);
    setStatus(message);
  };

  useEffect(() => () => source.current?.close(), []);

  const start = () => {
    stop("Connecting…");
    setLines([]);
    const query = new URLSearchParams({ component, tail });
    const events = new EventSource(`/admin/tenants/${encodeURIComponent(tenantId)}/logs?${query}`);
    source.current = events;
    setConnected(true);
    events.addEventListener("open", () => setStatus("Connected: new lines appear below."));
    events.addEventListener("line", (event) => {
      const line = JSON.parse((event as MessageEvent<string>).data) as Line;
      setLines((previous) => [...previous.slice(-(KEEP - 1)), line]);
    });
    events.addEventListener("ended", (event) => {
      const { c } = JSON.parse((event as MessageEvent<string>).data) as { c: string };
      setStatus(`The ${c} container stopped.`);
    });
    events.addEventListener("end", () => stop("Every container has stopped; nothing more to follow."));
    events.onerror = () => {
      // The server answers 404/422 without a stream: do not let EventSource retry forever.
      if (events.readyState === EventSource.CLOSED) stop("The log stream closed.");
      else setStatus("Connection lost; reconnecting…");
    };
  };

  return (
    <div className="stack">
      <div className="inline-form">
        <label htmlFor="log-component">Component</label>
        <select id="log-component" value={component} onChange={(e) => setComponent(e.target.value)}>
          <option value="all">All</option>
          {components.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <label htmlFor="log-tail">Last lines</label>
        <input id="log-tail" type="number" min={0} max={5000} value={tail} onChange={(e) => setTail(e.target.value)} className="narrow-input" />
        <button type="button" onClick={start}>
          {connected ? "Reconnect" : "Show live logs"}
        </button>
        <button type="button" className="secondary" onClick={() => stop()}>
          Stop
        </button>
      </div>
      <p role="status" className="hint">
        {status}
      </p>
      <pre className="log-lines" role="log" aria-live="off" tabIndex={0} aria-label="Log lines">
        {lines.map((line, i) => (
          <span key={i} className={line.s === "err" ? "log-err" : undefined}>
            [{line.c}] {line.t}
            {"\n"}
          </span>
        ))}
      </pre>
    </div>
  );
}
