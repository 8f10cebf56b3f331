"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

export function DashboardTabs({ slug }: { slug: string }) {
  const pathname = usePathname();
  const tabs = [
    { href: `/dashboard/${slug}`, label: "Overview" },
    { href: `/dashboard/${slug}/settings`, label: "Settings" },
    { href: `/dashboard/${slug}/members`, label: "Members" },
  ];
  return (
    <nav aria-label="Community dashboard" className="tabs">
      {tabs.map((tab) => (
        <Link key={tab.href} href={tab.href} aria-current={pathname === tab.href ? "page" : undefined}>
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
