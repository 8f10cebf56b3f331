import { describe, expect, it } from "vitest";
import { parseAmount } from "./money";

const limits = { max: 1000, currency: "eur" };

describe("parseAmount", () => {
  it("takes whole amounts and up to two decimals, with a dot or a comma", () => {
    expect(parseAmount("5", limits)).toEqual({ ok: true, cents: 500 });
    expect(parseAmount(" 7.50 ", limits)).toEqual({ ok: true, cents: 750 });
    expect(parseAmount("7,5", limits)).toEqual({ ok: true, cents: 750 });
    expect(parseAmount("1000", limits)).toEqual({ ok: true, cents: 100000 });
    expect(parseAmount("1", limits)).toEqual({ ok: true, cents: 100 });
  });

  it("explains each refusal", () => {
    expect(parseAmount("", limits)).toMatchObject({ ok: false, message: expect.stringContaining("Enter an amount") });
    expect(parseAmount("ten", limits)).toMatchObject({ ok: false, message: expect.stringContaining("as a number") });
    expect(parseAmount("5€", limits)).toMatchObject({ ok: false, message: expect.stringContaining("as a number") });
    expect(parseAmount("0", limits)).toMatchObject({ ok: false, message: "The smallest monthly contribution is €1.00." });
    expect(parseAmount("0.99", limits)).toMatchObject({ ok: false, message: "The smallest monthly contribution is €1.00." });
    expect(parseAmount("-5", limits)).toMatchObject({ ok: false, message: "The smallest monthly contribution is €1.00." });
    expect(parseAmount("1e9", limits)).toMatchObject({ ok: false, message: "The largest monthly contribution on this host is €1,000.00." });
    expect(parseAmount("1000.01", limits)).toMatchObject({ ok: false, message: expect.stringContaining("largest") });
    expect(parseAmount("5.125", limits)).toMatchObject({ ok: false, message: expect.stringContaining("two decimals") });
    expect(parseAmount("1e1", limits)).toMatchObject({ ok: false, message: expect.stringContaining("two decimals") });
  });
});
