// A community's own domain on its dashboard: until verified, the DNS records to create (a CNAME
// to the host's name, or A and AAAA records with the host's addresses) and the "Check DNS now"
// button; once verified, when it was last confirmed.
import { formatDate } from "@/lib/format";
import { CheckDomainForm } from "./check-domain-form";

type Addresses = { ipv4: string[]; ipv6: string[] };

type Props = {
  slug: string;
  domain: string;
  verifiedAt: Date | null;
  hostName: string;
  /** The host's addresses (configured or looked up); null when they could not be looked up. */
  addresses: Addresses | null;
  caIdentity: string | null;
  /** Owner and admins may ask for a check. */
  canCheck: boolean;
};

function AddressRecords({ domain, hostName, addresses }: { domain: string; hostName: string; addresses: Addresses | null }) {
  if (!addresses || addresses.ipv4.length + addresses.ipv6.length === 0) {
    return (
      <>
        <strong>A</strong> (and <strong>AAAA</strong>) records with the same addresses as <code>{hostName}</code>.
      </>
    );
  }
  const records = (type: "A" | "AAAA", list: string[]) =>
    list.map((address) => (
      <li key={`${type} ${address}`}>
        <strong>{type}</strong> <code>{address}</code>
      </li>
    ));
  return (
    <>
      where a CNAME is not allowed (at {domain} itself when it is the top of your zone), address records:
      <ul aria-label={`Address records for ${domain}`}>
        {records("A", addresses.ipv4)}
        {records("AAAA", addresses.ipv6)}
      </ul>
      and no other A or AAAA records for {domain}:{" "}
      {addresses.ipv6.length
        ? "an address that is not this host's sends some visitors to another server."
        : "this host has no IPv6 address, so an AAAA record would send visitors over IPv6 to another server."}
    </>
  );
}

export function OwnDomainCard({ slug, domain, verifiedAt, hostName, addresses, caIdentity, canCheck }: Props) {
  return (
    <section className="card" aria-labelledby="domain-heading">
      <h2 id="domain-heading">Your domain: {domain}</h2>
      {verifiedAt ? (
        <p role="status">
          Verified: {domain} points at this host. Last confirmed {formatDate(verifiedAt)}; we check it again every hour and
          tell you if it stops.
        </p>
      ) : (
        <>
          <p role="status">
            Not verified yet. The server is set up only once these records are in place: until then, even when the community
            is funded, it is waiting for your domain&apos;s DNS records.
          </p>
          <p>At your DNS provider, create one of these for {domain}:</p>
          <ul>
            <li>
              a <strong>CNAME</strong> record pointing at <code>{hostName}</code> (best: it follows this host if its addresses
              change), or
            </li>
            <li>
              <AddressRecords domain={domain} hostName={hostName} addresses={addresses} />
            </li>
          </ul>
          {caIdentity ? (
            <p className="hint">
              If {domain} or a domain above it has CAA records, one of them must allow <code>{caIdentity}</code> to issue
              certificates (<code>0 issue &quot;{caIdentity}&quot;</code>).
            </p>
          ) : null}
          <p className="hint">DNS changes can take a while to be seen everywhere. The software&apos;s domain can never change once the server is set up.</p>
        </>
      )}
      {canCheck ? <CheckDomainForm slug={slug} /> : null}
    </section>
  );
}
