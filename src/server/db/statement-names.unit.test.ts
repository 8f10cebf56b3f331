import { describe, expect, it } from "vitest";
import { statementNamer } from "./statement-names";

describe("statementNamer", () => {
  it("names a text with parameters once, the same each time, and leaves one without parameters unnamed", () => {
    const name = statementNamer();
    const first = name({ sql: 'SELECT * FROM "User" WHERE "id" = $1', args: ["a"] });
    expect(first).toMatch(/^prisma_\d+$/);
    expect(name({ sql: 'SELECT * FROM "User" WHERE "id" = $1', args: ["b"] })).toBe(first);
    const second = name({ sql: 'SELECT * FROM "User" WHERE "email" = $1', args: ["c"] });
    expect(second).toMatch(/^prisma_\d+$/);
    expect(second).not.toBe(first);
    expect(name({ sql: "BEGIN", args: [] })).toBeUndefined();
  });

  it("past its bound sends new texts unnamed and keeps the names it gave", () => {
    const name = statementNamer(2);
    const a = name({ sql: "SELECT $1", args: [1] });
    const b = name({ sql: "SELECT $1, $2", args: [1, 2] });
    expect(name({ sql: "SELECT $1, $2, $3", args: [1, 2, 3] })).toBeUndefined();
    expect(name({ sql: "SELECT $1", args: [1] })).toBe(a);
    expect(name({ sql: "SELECT $1, $2", args: [1, 2] })).toBe(b);
    expect(new Set([a, b]).size).toBe(2);
  });
});
