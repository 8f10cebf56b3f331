// A did:plc directory for tests and private networks: @did-plc/server on PostgreSQL
// (DATABASE_URL), migrated at start, listening on PORT (default 2582). Follows the shape of
// upstream's service/index.js (did-method-plc), without its tracing and separate migration role.
const { Database, PlcServer } = require("@did-plc/server");

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("plc: DATABASE_URL is required");
    process.exit(2);
  }
  const migrator = Database.postgres({ url });
  await migrator.migrateToLatestOrThrow();
  await migrator.close();
  const server = PlcServer.create({ db: Database.postgres({ url }), port: Number(process.env.PORT ?? 2582) });
  await server.start();
  const stop = async () => {
    await server.destroy();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
