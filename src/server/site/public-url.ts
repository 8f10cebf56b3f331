// Absolute links to this Hearth (emails, Stripe return addresses): on its public address.
import "server-only";
import { env } from "@/server/config/env";

export function publicUrl(path: string): string {
  const config = env();
  return new URL(path, config.NEXTAUTH_URL ?? `http://localhost:${config.PORT}`).toString();
}
