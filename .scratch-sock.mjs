import pg from "pg";
import { readFileSync } from "node:fs";
const postmaster = Number(readFileSync("/tmp/pgx/data/postmaster.pid","utf8").split("\n")[0]);
function serverCpu(){ let t=0; for (const e of (await_import_fs()).readdirSync("/proc")) { if(!/^\d+$/.test(e)) continue; try{ const f=readFileSync(`/proc/${e}/stat`,"utf8").split(") ")[1].split(" "); if(Number(f[1])===postmaster||Number(e)===postmaster) t+=Number(f[11])+Number(f[12]);}catch{} } return t*10; }
import * as fs from "node:fs"; function await_import_fs(){return fs;}
for (const [label, conn] of [["tcp","postgresql://bench@127.0.0.1:55432/postgres"],["unix","postgresql://bench@%2Ftmp%2Fpgx:55432/postgres"],["tcp","postgresql://bench@127.0.0.1:55432/postgres"],["unix","postgresql://bench@%2Ftmp%2Fpgx:55432/postgres"]]) {
  const pool = new pg.Pool({ connectionString: conn, max: 4 });
  await Promise.all([1,2,3,4].map(()=>pool.query("select 1")));
  const c0 = process.cpuUsage(); const s0 = serverCpu(); const t0 = performance.now();
  const N = 20000; let i = 0;
  await Promise.all([1,2,3,4].map(async () => { while (i++ < N) await pool.query({name:"q", text:"SELECT $1::int AS x", values:[i]}); }));
  const c = process.cpuUsage(c0); const wall = performance.now()-t0;
  console.log(label, `${(N/wall*1000).toFixed(0)} q/s, client ${((c.user+c.system)/1000/N*1000).toFixed(1)} us/q, server ${((serverCpu()-s0)/N*1000).toFixed(1)} us/q`);
  await pool.end();
}
