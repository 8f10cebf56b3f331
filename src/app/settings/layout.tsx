import type { ReactNode } from "react";
import Link from "next/link";

export default function SettingsLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <nav aria-label="Settings" className="tabs">
        <Link href="/settings/email">Email address</Link>
        <Link href="/settings/notifications">Notifications</Link>
      </nav>
      {children}
    </>
  );
}
