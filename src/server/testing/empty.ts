// Stands in for the `server-only` marker package under vitest (tests run on the server).
export {};
