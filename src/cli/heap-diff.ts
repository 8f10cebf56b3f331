// `npm run heap:diff -- <before.heapsnapshot> <after.heapsnapshot>`: what grew between two heap
// snapshots, by constructor (objects, closures, native) or node type (strings, code, ...):
// change in retained-by-self bytes and in count, largest growth first.
import { readFileSync } from "node:fs";

type Snapshot = { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[] };

function summarize(file: string) {
  const snap = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [type, name, size] = ["type", "name", "self_size"].map((f) => fields.indexOf(f)) as [number, number, number];
  const groups = new Map<string, { count: number; size: number }>();
  let total = 0;
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const kind = types[snap.nodes[i + type]!]!;
    const label = kind === "object" || kind === "closure" || kind === "native" ? `${kind} ${snap.strings[snap.nodes[i + name]!]}` : `(${kind})`;
    const key = label.slice(0, 100);
    const group = groups.get(key) ?? { count: 0, size: 0 };
    group.count += 1;
    group.size += snap.nodes[i + size]!;
    groups.set(key, group);
    total += snap.nodes[i + size]!;
  }
  return { groups, total };
}

const [before, after] = process.argv.slice(2);
if (!before || !after) {
  console.error("usage: heap-diff <before.heapsnapshot> <after.heapsnapshot>");
  process.exit(2);
}
const a = summarize(before);
const b = summarize(after);
console.log(`heap (self sizes): ${(a.total / 1e6).toFixed(1)} MB -> ${(b.total / 1e6).toFixed(1)} MB`);
const rows = [...new Set([...a.groups.keys(), ...b.groups.keys()])].map((key) => ({
  key,
  bytes: (b.groups.get(key)?.size ?? 0) - (a.groups.get(key)?.size ?? 0),
  count: (b.groups.get(key)?.count ?? 0) - (a.groups.get(key)?.count ?? 0),
  now: b.groups.get(key)?.count ?? 0,
}));
rows.sort((x, y) => y.bytes - x.bytes);
for (const row of rows.slice(0, 25)) {
  console.log(`${(row.bytes / 1e3).toFixed(0).padStart(9)} KB ${String(row.count).padStart(9)} objects (${row.now} now)  ${row.key}`);
}
