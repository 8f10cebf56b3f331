// The start form's own-domain rule, case by case: what it accepts and the words of each refusal.
import { describe, expect, it } from "vitest";
import { ownDomainProblem } from "./own-domain";

describe("ownDomainProblem", () => {
  it.each(["social.example.org", "example.club", "xn--bcher-kva.example", "a-b.c-d.example.co.uk"])("accepts %s", (name) => {
    expect(ownDomainProblem(name, "hearth.example.org")).toBeUndefined();
  });

  it.each([
    ["", /Enter your domain/],
    ["localhost", /at least one dot/],
    ["Social.Example.org", /“social\.example\.org”/],
    ["10.0.0.1", /not an IP address/],
    ["1.2.3.4.5", /not an IP address/],
    ["[::1]", /not an IP address/],
    ["http://social.example.org", /without https:\/\//],
    ["social.example.org.", /final dot/],
    [".example.org", /Two dots in a row, or a dot at the start/],
    ["social-.example.org", /not a hyphen/],
    [`${"a".repeat(64)}.example.org`, /at most 63/],
    ["bücher.example", /xn-- form/],
    ["hearth.example.org", /under this host's own domain/],
    ["town.hearth.example.org", /under this host's own domain/],
    ["cabc123.deleted.invalid", /\.invalid never resolve/],
  ])("refuses %j", (name, message) => {
    expect(ownDomainProblem(name, "hearth.example.org")).toMatch(message);
  });

  it("accepts a name that only ends like the base domain", () => {
    expect(ownDomainProblem("myhearth.example.org", "hearth.example.org")).toBeUndefined();
  });
});
