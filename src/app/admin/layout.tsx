import type { ReactNode } from "react";
import Link from "next/link";
import { hostAdminOrNotFound } from "@/server/admin/require-host-admin";

// Frames the admin area. Every page, action and route handler under it checks the host
// permission on its own too: a layout does not guard what is under it.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await hostAdminOrNotFound("admin.dashboard");
  return (
    <section className="admin">
      <nav aria-label="Admin" className="tabs">
        <Link href="/admin">Tenants</Link>
        <Link href="/admin/settings">Plans and settings</Link>
        <Link href="/admin/mail">Mail</Link>
      </nav>
      {children}
    </section>
  );
}
