// schema.prisma and prisma/migrations must describe the same database. When this fails,
// author the missing migration with `npm run db:new-migration -- <name>`.
import { describe, expect, it } from "vitest";
import { migrationsDrift, schemaDrift } from "../../../prisma/tools/drift.mjs";

describe("migrations", () => {
  it("the schema snapshot of the migrations matches schema.prisma", async () => {
    expect(await schemaDrift()).toBe("");
  });

  it("applying every migration to an empty database yields schema.prisma", async () => {
    expect(await migrationsDrift({ url: process.env.DATABASE_URL })).toBe("");
  });
});
