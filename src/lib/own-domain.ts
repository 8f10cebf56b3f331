// A community's own domain as typed on the start form: a lowercase DNS name with at least one dot,
// not an IP address, not a name under the host's base domain. Whether another community uses it,
// and whether its DNS points here, is checked on the server.

/** The first problem with an own domain, in words a person can act on; undefined when it is fine. */
export function ownDomainProblem(value: string, baseDomain?: string): string | undefined {
  if (value.length === 0) return "Enter your domain, e.g. social.example.org.";
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.includes("/")) return "Enter only the domain name, without https:// or a path.";
  if (value.includes(":") || /^\d{1,3}(\.\d{1,3}){3}$/.test(value)) return "Enter a domain name, not an IP address.";
  if (value.length > 253) return `Use at most 253 characters (this one has ${value.length}).`;
  if (/\P{ASCII}/u.test(value)) return "Use only plain letters a–z, digits, hyphens and dots (an internationalised name in its xn-- form).";
  if (/[A-Z]/.test(value) && /^[a-z0-9.-]+$/.test(value.toLowerCase())) return `Use lowercase letters only, e.g. “${value.toLowerCase()}”.`;
  if (!/^[a-z0-9.-]+$/.test(value)) return "Use only lowercase letters a–z, digits, hyphens and dots (no spaces or other signs).";
  if (value.endsWith(".")) return "Leave out the final dot.";
  if (!value.includes(".")) return "Enter a full domain with at least one dot, e.g. social.example.org.";
  const labels = value.split(".");
  if (labels.some((label) => label.length === 0)) return "Two dots in a row, or a dot at the start, are not allowed.";
  if (labels.some((label) => label.length > 63)) return "Each part between dots may have at most 63 characters.";
  if (labels.some((label) => label.startsWith("-") || label.endsWith("-"))) return "Each part between dots starts and ends with a letter or a digit, not a hyphen.";
  if (/^\d+$/.test(labels[labels.length - 1] ?? "")) return "Enter a domain name, not an IP address.";
  // Reserved by RFC 2606 never to resolve (Hearth also marks names it retired with it).
  if (labels[labels.length - 1] === "invalid") return "Names ending in .invalid never resolve anywhere: enter a domain you own.";
  const base = baseDomain?.toLowerCase();
  if (base && (value === base || value.endsWith(`.${base}`))) {
    return `This name is under this host's own domain (${base}). Choose “<address>.${base}” above instead, or enter a domain you own.`;
  }
  return undefined;
}
