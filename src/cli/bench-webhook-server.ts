// One webhook endpoint of `npm run bench:webhooks`, in its own process as a web server is:
//   --mode hearth    Hearth's route handler (src/app/api/stripe/webhook/route.ts), as deployed;
//   --mode baseline  the minimal handler the issue compares with: verify the signature with the
//                    Stripe SDK, record the event id with ON CONFLICT DO NOTHING and write one
//                    ledger row, in one transaction (its own tables, made here).
// Both behind the same plain node:http server, which hands the route a Web Request as
// Next.js does. Prints "listening <port>" when ready. Reads DATABASE_URL, STRIPE_WEBHOOK_SECRET.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import pg from "pg";
import Stripe from "stripe";

const mode = process.argv[process.argv.indexOf("--mode") + 1];
process.setSourceMapsEnabled(false); // as `next start` runs

function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  return new Request(`http://127.0.0.1${req.url}`, {
    method: req.method,
    headers,
    body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
    duplex: "half",
  } as RequestInit);
}

async function baselineHandler(): Promise<(request: Request) => Promise<Response>> {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_baseline_event (id text PRIMARY KEY, type text NOT NULL, received_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE IF NOT EXISTS bench_baseline_ledger (id bigserial PRIMARY KEY, event_id text NOT NULL, amount integer NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
  const secret = process.env.STRIPE_WEBHOOK_SECRET!;
  return async (request) => {
    const body = await request.text();
    let event: Stripe.Event;
    try {
      event = Stripe.webhooks.constructEvent(body, request.headers.get("stripe-signature") ?? "", secret);
    } catch {
      return Response.json({ received: false }, { status: 400 });
    }
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const inserted = await client.query("INSERT INTO bench_baseline_event (id, type) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING", [event.id, event.type]);
      if (inserted.rowCount === 1) await client.query("INSERT INTO bench_baseline_ledger (event_id, amount) VALUES ($1, $2)", [event.id, 100]);
      await client.query("COMMIT");
      return Response.json({ received: true, outcome: inserted.rowCount === 1 ? "queued" : "duplicate" });
    } catch {
      await client.query("ROLLBACK").catch(() => {});
      return Response.json({ received: false }, { status: 500 });
    } finally {
      client.release();
    }
  };
}

async function main() {
  const handle = mode === "baseline" ? await baselineHandler() : (await import("@/app/api/stripe/webhook/route")).POST;
  const server = createServer((req, res) => {
    handle(toRequest(req))
      .then(async (response) => {
        res.writeHead(response.status, { "content-type": "application/json" }).end(Buffer.from(await response.arrayBuffer()));
      })
      .catch(() => res.writeHead(500).end());
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => console.log(`listening ${(server.address() as AddressInfo).port}`));
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}

void main();
