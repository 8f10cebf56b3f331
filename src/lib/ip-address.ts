// IP addresses written the one way, so two spellings of the same address compare equal
// (2001:0db8:0:0::5 and 2001:db8::5): DNS answers and configured addresses alike.

/** The canonical text of an IPv4 or IPv6 address (RFC 5952 for IPv6), as WHATWG URLs write hosts. */
export function canonicalIp(address: string): string {
  const bare = address.trim().replace(/^\[|\]$/g, "");
  if (!bare.includes(":")) return bare;
  return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
}

export const isIpv6 = (address: string) => address.includes(":");
