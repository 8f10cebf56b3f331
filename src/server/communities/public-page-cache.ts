// The anonymous public page's data, kept in the web process: most visitors of /c/<slug> are
// not signed in, and the page's figures change only when money, the community or its server
// does. Every such change, made by any process, is announced on the channel
// "hearth_public_pages" by triggers in the database (migration public_page_notifications):
// the community's id, or "*" for all. This process listens and forgets what changed.
// Entries also expire after a minute (runway and "paid this period" move with the clock), and
// nothing is kept while the listener is not connected, so a lost connection means fresh reads,
// never stale pages.
import "server-only";
import pg from "pg";
import { env } from "@/server/config/env";
import { log } from "@/server/log";

const CHANNEL = "hearth_public_pages";
const TTL_MS = 60_000;
const MAX_ENTRIES = 2_000;

type Entry<T> = { at: number; communityId: string; value: T };

type State = {
  entries: Map<string, Entry<unknown>>;
  // Order of invalidations: a value read before a change to its community is not kept.
  seq: number;
  changedAt: Map<string, number>;
  allChangedAt: number;
  listening: boolean;
  connecting?: Promise<void>;
};

const globalForCache = globalThis as unknown as { hearthPublicPages?: State };
const state = (): State =>
  (globalForCache.hearthPublicPages ??= { entries: new Map(), seq: 0, changedAt: new Map(), allChangedAt: 0, listening: false });

function invalidate(payload: string) {
  const s = state();
  s.seq += 1;
  if (payload === "*") {
    s.allChangedAt = s.seq;
    s.entries.clear();
    s.changedAt.clear();
    return;
  }
  if (s.changedAt.size >= 10_000) {
    // Bounded: forgetting who changed when is safe if everything counts as changed now.
    s.changedAt.clear();
    s.allChangedAt = s.seq;
  }
  s.changedAt.set(payload, s.seq);
  for (const [key, entry] of s.entries) if (entry.communityId === payload) s.entries.delete(key);
}

function listen(): void {
  const s = state();
  if (s.listening || s.connecting) return;
  const url = env().DATABASE_URL;
  if (!url) return;
  const client = new pg.Client({ connectionString: url, application_name: "hearth-public-pages" });
  const lost = (error?: Error) => {
    if (error) log.warn("public page cache: listener lost its connection; reading afresh until it is back", { error: error.message });
    s.listening = false;
    invalidate("*");
    void client.end().catch(() => {});
    setTimeout(listen, 2_000).unref();
  };
  client.on("notification", (message) => invalidate(message.payload ?? "*"));
  client.on("error", lost);
  s.connecting = client
    .connect()
    .then(() => client.query(`LISTEN ${CHANNEL}`))
    .then(() => {
      s.listening = true;
    })
    .catch((error: Error) => lost(error))
    .finally(() => {
      s.connecting = undefined;
    });
}

/**
 * The cached value for `key`, or `read()`'s (kept when the listener is up and nothing of its
 * community changed while it was read). `communityOf` names the community a value is about;
 * null values (not found, not public) are not kept.
 */
export async function cachedPublic<T>(key: string, read: () => Promise<T | null>, communityOf: (value: T) => string): Promise<T | null> {
  listen();
  const s = state();
  const hit = s.entries.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value as T;
  const startedAt = s.seq;
  const listeningAtStart = s.listening;
  const value = await read();
  if (value === null || !listeningAtStart || !s.listening) return value;
  const communityId = communityOf(value);
  if ((s.changedAt.get(communityId) ?? 0) > startedAt || s.allChangedAt > startedAt) return value;
  if (s.entries.size >= MAX_ENTRIES) s.entries.delete(s.entries.keys().next().value!);
  s.entries.set(key, { at: Date.now(), communityId, value });
  return value;
}

/** Tests: whether the listener is connected, and the number of entries kept. */
export function publicCacheStatus(): { listening: boolean; entries: number } {
  const s = state();
  return { listening: s.listening, entries: s.entries.size };
}
