// Prisma CLI configuration. DATABASE_URL is read here only by the CLI; the app
// reads it through src/server/config/env.ts.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/hearth",
  },
});
