// Where an installation's id is kept (the Setting row labels.ts creates), and how the command-line
// tools read it with plain pg before the app runs (they cannot load the app's server modules).
import pg from "pg";

export const INSTALLATION_SETTING = "installation.id";

/** The installation's id in this database; null when it has none yet (or no tables yet). */
export async function readInstallationId(client: pg.ClientBase): Promise<string | null> {
  try {
    const { rows } = await client.query<{ id: string | null }>(`SELECT "value" #>> '{}' AS "id" FROM "Setting" WHERE "key" = $1`, [INSTALLATION_SETTING]);
    return rows[0]?.id ?? null;
  } catch (error) {
    if ((error as { code?: string }).code === "42P01") return null; // not migrated yet
    throw error;
  }
}

/** The same, read over a connection of its own to `databaseUrl` (closed again). */
export async function installationIdAt(databaseUrl: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    return await readInstallationId(client);
  } finally {
    await client.end().catch(() => {});
  }
}
