// A community's address is one DNS label under the host's base domain (<address>.<base>).
// Only plain ASCII is accepted: accented letters and look-alikes from other alphabets
// (Cyrillic "а" for Latin "a") would let one community impersonate another.
import { z } from "zod";
import { ADDRESS_MAX, ADDRESS_MIN } from "./community-limits";

// Names the host needs for itself, or that people would take for the host.
export const RESERVED_ADDRESSES: ReadonlySet<string> = new Set([
  "www", "admin", "administrator", "api", "app", "assets", "auth", "autoconfig", "autodiscover",
  "billing", "blog", "cdn", "dashboard", "dev", "docs", "email", "ftp", "hearth", "help", "host",
  "hostmaster", "imap", "localhost", "login", "mail", "media", "mx", "ns", "ns1", "ns2", "ns3",
  "pop", "pop3", "postmaster", "root", "security", "signin", "signup", "smtp", "staging", "static",
  "status", "support", "system", "test", "webmail", "abuse", "noreply", "no-reply", "stripe",
]);

/** The first problem with an address, in words a person can act on; undefined when it is fine. */
export function addressProblem(value: string): string | undefined {
  if (value.length === 0) return "Choose an address.";
  if (value.length > ADDRESS_MAX) return `Use at most ${ADDRESS_MAX} characters (this one has ${value.length}).`;
  if (/\P{ASCII}/u.test(value)) {
    return "Use only the plain letters a–z, digits and hyphens: accented letters and characters from other alphabets are not allowed.";
  }
  if (/[A-Z]/.test(value) && /^[a-z0-9-]+$/.test(value.toLowerCase())) {
    return `Use lowercase letters only, e.g. “${value.toLowerCase()}”.`;
  }
  if (!/^[a-z0-9-]+$/.test(value)) return "Use only lowercase letters a–z, digits and hyphens (no dots, spaces or other signs).";
  if (value.length < ADDRESS_MIN) return `Use at least ${ADDRESS_MIN} characters.`;
  if (value.startsWith("-") || value.endsWith("-")) return "Start and end with a letter or a digit, not a hyphen.";
  // "xn--" and friends mark internationalised names, which browsers show in other alphabets.
  if (value.slice(2, 4) === "--") return "Two hyphens in the third and fourth places are not allowed.";
  if (RESERVED_ADDRESSES.has(value)) return "This address is reserved. Choose another.";
  return undefined;
}

export function isWellFormedAddress(value: string): boolean {
  return addressProblem(value) === undefined;
}

export const addressSchema = z
  .string({ message: "Choose an address." })
  .trim()
  .superRefine((value, ctx) => {
    const problem = addressProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
