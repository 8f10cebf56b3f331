import { describe, expect, it } from "vitest";
import { addressProblem, addressSchema, isWellFormedAddress, RESERVED_ADDRESSES } from "./community-address";

describe("community address", () => {
  it.each(["abc", "my-town", "a1b2c3", "123", "x".repeat(30), "bike-club-2026"])("accepts %j", (value) => {
    expect(addressProblem(value)).toBeUndefined();
  });

  it.each([
    ["", /Choose an address/],
    ["ab", /at least 3/],
    ["x".repeat(31), /at most 30 characters \(this one has 31\)/],
    ["a".repeat(300), /at most 30 characters \(this one has 300\)/],
    ["MyTown", /lowercase letters only, e\.g\. “mytown”/],
    ["ABC", /lowercase/],
    ["my.town", /no dots/],
    ["my_town", /only lowercase letters a–z, digits and hyphens/],
    ["my town", /only lowercase/],
    ["town.example.org", /no dots/],
    ["-town", /Start and end with a letter or a digit/],
    ["town-", /Start and end/],
    ["-", /at least 3/],
    ["---", /Start and end/],
    ["xn--80ak6aa92e", /third and fourth places/], // punycode for a Cyrillic look-alike
    ["ab--cd", /third and fourth places/],
    ["<script>", /only lowercase/],
    ["town%00", /only lowercase/],
    ["../etc", /only lowercase/],
  ])("rejects %j", (value, message) => {
    expect(addressProblem(value)).toMatch(message);
  });

  it("rejects look-alike characters from other alphabets and accents", () => {
    // Cyrillic а (U+0430), о (U+043E), е (U+0435); Greek ο (U+03BF); dotless ı; fullwidth ａ.
    for (const value of ["\u0430bc", "t\u043Ewn", "caf\u00E9", "t\u03BFwn", "p\u0131zza", "\uFF41bc", "town\u200B", "t\u0307own"]) {
      expect(addressProblem(value), value).toMatch(/plain letters a–z/);
      expect(isWellFormedAddress(value)).toBe(false);
    }
  });

  it("rejects every reserved name, including the ones the issue names", () => {
    for (const name of ["www", "admin", "api", "mail", "hearth", "status"]) expect(RESERVED_ADDRESSES.has(name)).toBe(true);
    for (const name of RESERVED_ADDRESSES) {
      if (name.length < 3) continue; // too short anyway
      expect(addressProblem(name), name).toMatch(/reserved/);
    }
  });

  it("trims surrounding spaces but nothing else", () => {
    expect(addressSchema.parse("  my-town ")).toBe("my-town");
    expect(addressSchema.safeParse("my-\ttown").success).toBe(false);
    expect(addressSchema.safeParse(" Admin ").success).toBe(false);
  });
});
