import { describe, expect, it } from "vitest";
import { signUpSchema } from "@/server/auth/schemas";
import { communityNameSchema } from "@/server/communities/schemas";
import { planFields } from "@/server/plans/schemas";
import { BIDI_MESSAGE, hasBidiControls } from "@/lib/safe-text";

// "Lacuna" + RLO + "gro.elpmaxe": displays as "Lacunaexample.org"-like text reading the other way.
const SPOOF = "Lacuna\u202Egro.elpmaxe";

describe("names refuse bidi controls", () => {
  it("finds every bidi control and nothing else", () => {
    for (const char of ["\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069", "\u200E", "\u200F", "\u061C"]) {
      expect(hasBidiControls(`a${char}b`), char.codePointAt(0)!.toString(16)).toBe(true);
    }
    expect(hasBidiControls("Ünïcödé names, عربى, עברית, 日本語")).toBe(false);
  });

  it("refuses them at the field for people, communities and plans", () => {
    const person = signUpSchema.safeParse({ name: SPOOF, email: "a@b.test", password: "long enough password" });
    expect(person.error?.issues.map((i) => [i.path[0], i.message])).toEqual([["name", BIDI_MESSAGE]]);
    const community = communityNameSchema.safeParse(SPOOF);
    expect(community.error?.issues[0]?.message).toBe(BIDI_MESSAGE);
    const plan = planFields.safeParse({ name: SPOOF });
    expect(plan.error?.issues.find((i) => i.path[0] === "name")?.message).toBe(BIDI_MESSAGE);
    // Right-to-left scripts themselves are welcome.
    expect(communityNameSchema.safeParse("مقهى الحي").success).toBe(true);
  });
});
