// A community's own domain on its dashboard: until verified, the DNS records to create and the
// "Check DNS now" button; once verified, when it was last confirmed.
import { formatDate } from "@/lib/format";
import { CheckDomainForm } from "./check-domain-form";

type Props = {
  slug: string;
  domain: string;
  verifiedAt: Date | null;
  hostName: string;
  caIdentity: string | null;
  /** Owner and admins may ask for a check. */
  canCheck: boolean;
};

export function OwnDomainCard({ slug, domain, verifiedAt, hostName, caIdentity, canCheck }: Props) {
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
              a <strong>CNAME</strong> record pointing at <code>{hostName}</code>, or
            </li>
            <li>
              <strong>A</strong> (and <strong>AAAA</strong>) records with the same addresses as <code>{hostName}</code>.
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
