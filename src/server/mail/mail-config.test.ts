// The mail settings of the environment: checked at boot with a message per variable; SMTP_URL and
// the SMTP_HOST group give the same transport; no settings means mail stays in Hearth.
import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "@/server/config/env";
import { fromDomain, mailFrom, mailTransportConfig } from "./mail-config";

const problems = (source: Record<string, string>) => {
  try {
    parseEnv(source);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
};

describe("mail configuration", () => {
  it("names each bad mail variable, never echoing secrets", () => {
    expect(problems({ SMTP_URL: "http://relay" })).toEqual([expect.stringMatching(/^SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/)]);
    expect(problems({ SMTP_URL: "smtp://relay", SMTP_HOST: "relay" })).toEqual([expect.stringMatching(/^SMTP_HOST: set either SMTP_URL or SMTP_HOST/)]);
    expect(problems({ SMTP_HOST: "relay", SMTP_USER: "me" })).toEqual([expect.stringMatching(/^SMTP_PASSWORD: SMTP_USER and SMTP_PASSWORD go together/)]);
    expect(problems({ SMTP_PASSWORD: "hunter22" }).join("\n")).not.toContain("hunter22");
    expect(problems({ SMTP_TLS: "maybe" })).toEqual([expect.stringMatching(/^SMTP_TLS: must be auto, starttls, tls or none/)]);
    expect(problems({ HEARTH_MAIL_FROM: "not an address" })).toEqual([expect.stringMatching(/^HEARTH_MAIL_FROM: must be an address/)]);
    expect(problems({ HEARTH_MAIL_FROM: "Hearth <hearth@example.org>", SMTP_URL: "smtps://u:p%40ss@relay.example.org" })).toEqual([]);
  });

  it("reads SMTP_URL and the SMTP_HOST group into the same transport", () => {
    const fromUrl = mailTransportConfig(parseEnv({ SMTP_URL: "smtps://me:p%40ss@relay.example.org" }));
    expect(fromUrl).toMatchObject({ mode: "smtp", relay: "relay.example.org:465 (TLS)", options: { host: "relay.example.org", port: 465, secure: true, auth: { user: "me", pass: "p@ss" } } });
    const fromHost = mailTransportConfig(parseEnv({ SMTP_HOST: "relay.example.org", SMTP_USER: "me", SMTP_PASSWORD: "p@ss", SMTP_TLS: "starttls" }));
    expect(fromHost).toMatchObject({ mode: "smtp", options: { host: "relay.example.org", port: 587, secure: false, requireTLS: true, auth: { user: "me", pass: "p@ss" } } });
    expect(mailTransportConfig(parseEnv({}))).toEqual({ mode: "local" });
  });

  it("sends from HEARTH_MAIL_FROM, else from the panel's host", () => {
    expect(mailFrom(parseEnv({ HEARTH_MAIL_FROM: "ops@example.org" }))).toBe("ops@example.org");
    expect(mailFrom(parseEnv({ NEXTAUTH_URL: "https://panel.example.org" }))).toBe("Hearth <hearth@panel.example.org>");
    expect(fromDomain("Hearth <hearth@panel.example.org>")).toBe("panel.example.org");
  });
});
