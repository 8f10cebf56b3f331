import { describe, expect, it } from "vitest";
import { base32Decode, base32Encode, hotp, matchTotp, newTotpSecret, otpauthUri, totpAt } from "./totp";

// RFC 6238 appendix B: the SHA-1 secret is the ASCII of "12345678901234567890"; 8-digit codes
// there, whose last 6 digits are the 6-digit codes.
const RFC_SECRET = base32Encode(Buffer.from("12345678901234567890"));

describe("TOTP", () => {
  it("matches RFC 4226's HOTP test values", () => {
    const secret = Buffer.from("12345678901234567890");
    expect([0, 1, 2, 3, 9].map((counter) => hotp(secret, counter))).toEqual(["755224", "287082", "359152", "969429", "520489"]);
  });

  it("matches RFC 6238's SHA-1 test values", () => {
    expect(totpAt(RFC_SECRET, 59_000)).toBe("287082");
    expect(totpAt(RFC_SECRET, 1_111_111_109_000)).toBe("081804");
    expect(totpAt(RFC_SECRET, 1_234_567_890_000)).toBe("005924");
    expect(totpAt(RFC_SECRET, 2_000_000_000_000)).toBe("279037");
    expect(totpAt(RFC_SECRET, 20_000_000_000_000)).toBe("353130");
  });

  it("round-trips base32 and makes 160-bit secrets", () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Encode(base32Decode(secret))).toBe(secret);
    expect(base32Decode("gezd gnbv-gy3t qojq")).toEqual(Buffer.from("1234567890"));
  });

  it("accepts the code of the step before and after (clock drift), never an older or a reused one", () => {
    const now = 1_700_000_000_000;
    const code = totpAt(RFC_SECRET, now);
    const step = matchTotp(RFC_SECRET, code, now, null);
    expect(step).not.toBeNull();
    expect(matchTotp(RFC_SECRET, totpAt(RFC_SECRET, now - 30_000), now, null)).toBe(step! - 1);
    expect(matchTotp(RFC_SECRET, totpAt(RFC_SECRET, now + 30_000), now, null)).toBe(step! + 1);
    expect(matchTotp(RFC_SECRET, totpAt(RFC_SECRET, now - 90_000), now, null)).toBeNull();
    expect(matchTotp(RFC_SECRET, code, now, step)).toBeNull(); // used once already
    expect(matchTotp(RFC_SECRET, "12345", now, null)).toBeNull();
    expect(matchTotp(RFC_SECRET, "abcdef", now, null)).toBeNull();
    expect(matchTotp(RFC_SECRET, `${code.slice(0, 3)} ${code.slice(3)}`, now, null)).toBe(step);
  });

  it("writes the otpauth URI authenticator apps read", () => {
    expect(otpauthUri({ issuer: "Hearth", account: "ops@example.org", secret: "ABC" })).toBe(
      "otpauth://totp/Hearth:ops%40example.org?secret=ABC&issuer=Hearth&algorithm=SHA1&digits=6&period=30",
    );
  });
});
