// The Prisma client's statements reach PostgreSQL as named (prepared) statements
// (statement-names.ts): read back from the connection that ran them.
import { describe, expect, it } from "vitest";
import { db } from "./client";

describe("db client", () => {
  it("prepares a statement with parameters once on its connection and reuses it", async () => {
    const prepared = await db.$transaction(async (tx) => {
      // One connection for the whole transaction: the same text twice, then what it holds.
      for (const email of ["nobody-1@example.test", "nobody-2@example.test"]) await tx.user.findUnique({ where: { email } });
      return tx.$queryRaw<{ name: string; statement: string }[]>`
        SELECT "name", "statement" FROM pg_prepared_statements WHERE "name" LIKE 'prisma\\_%'`;
    });
    const lookups = prepared.filter((row) => row.statement.includes('FROM "public"."User"') && row.statement.includes('"email" = $1'));
    expect(lookups).toHaveLength(1);
    // The read-back itself has no parameters: sent unnamed, it is not among them.
    expect(prepared.some((row) => row.statement.includes("pg_prepared_statements"))).toBe(false);
  });
});
