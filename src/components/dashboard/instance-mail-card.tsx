import { Facts } from "@/components/facts";
import type { InstanceMailView } from "@/server/mail/get-instance-mail-view";

/** The instance's own mail (sign-up confirmations, password resets on the instance). */
export function InstanceMailCard({ view }: { view: InstanceMailView }) {
  return (
    <section className="card" aria-labelledby="instance-mail-heading">
      <h2 id="instance-mail-heading">Mail from your server</h2>
      {view.configured ? (
        <Facts
          items={[
            ["Relay", view.relay],
            ["Encryption", view.encryption],
            ["Sender", view.sender],
            ["Login", view.login ?? "none"],
            ["How it is set", view.how],
            ["Last set", view.appliedAt ? view.appliedAt.toISOString().slice(0, 16).replace("T", " ") + " UTC" : null],
          ]}
        />
      ) : (
        <p>This host has no mail relay for instances yet, so your server cannot send sign-up confirmations or password resets. Ask the host&apos;s admins.</p>
      )}
    </section>
  );
}
