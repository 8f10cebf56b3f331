import type { ReactNode } from "react";
import Link from "next/link";
import { hostAdminOrNotFound } from "@/server/admin/require-host-admin";
import { countDeadStripeEvents } from "@/server/billing/list-stripe-events";

// Frames the admin area. Every page, action and route handler under it checks the host
// permission on its own too: a layout does not guard what is under it.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const actor = await hostAdminOrNotFound("admin.dashboard");
  const dead = await countDeadStripeEvents(actor);
  return (
    <section className="admin">
      <nav aria-label="Admin" className="tabs">
        <Link href="/admin">Tenants</Link>
        <Link href="/admin/settings">Plans and settings</Link>
        <Link href="/admin/mail">Mail</Link>
        <Link href="/admin/webhooks">Stripe events</Link>
      </nav>
      {dead > 0 ? (
        <p role="alert" className="form-error">
          {dead} Stripe event{dead === 1 ? " was" : "s were"} given up on after the last attempt.{" "}
          <Link href="/admin/webhooks">See and retry</Link>
        </p>
      ) : null}
      {children}
    </section>
  );
}
