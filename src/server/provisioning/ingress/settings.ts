// The ingress's settings, from the validated configuration: image, ports, where it listens and
// how it gets certificates. Pure, so the defaults are unit-tested.
import type { Env } from "@/server/config/env";

export const LETS_ENCRYPT = "https://acme-v02.api.letsencrypt.org/directory";

export type Issuer = { kind: "internal" } | { kind: "acme"; directory: string; email?: string; rootsFile?: string };

export type IngressSettings = {
  image: string;
  httpPort: number;
  httpsPort: number;
  bind: string;
  issuer: Issuer;
};

type Settings = Pick<
  Env,
  | "HEARTH_BASE_DOMAIN"
  | "HEARTH_IMAGE_INGRESS"
  | "HEARTH_INGRESS_HTTP_PORT"
  | "HEARTH_INGRESS_HTTPS_PORT"
  | "HEARTH_INGRESS_BIND"
  | "HEARTH_ACME_DIRECTORY"
  | "HEARTH_ACME_EMAIL"
  | "HEARTH_ACME_CA_ROOTS"
>;

/** *.localhost resolves to loopback in every browser (RFC 6761): no public CA can vouch for it. */
export const isLocalName = (name: string) => name === "localhost" || name.endsWith(".localhost");

export function ingressSettings(config: Settings): IngressSettings {
  const local = isLocalName(config.HEARTH_BASE_DOMAIN);
  const directory = config.HEARTH_ACME_DIRECTORY ?? (local ? "internal" : LETS_ENCRYPT);
  return {
    image: config.HEARTH_IMAGE_INGRESS,
    httpPort: config.HEARTH_INGRESS_HTTP_PORT,
    httpsPort: config.HEARTH_INGRESS_HTTPS_PORT,
    // A local panel's ingress answers this machine only.
    bind: config.HEARTH_INGRESS_BIND ?? (local ? "127.0.0.1" : "0.0.0.0"),
    issuer:
      directory === "internal"
        ? { kind: "internal" }
        : { kind: "acme", directory, email: config.HEARTH_ACME_EMAIL, rootsFile: config.HEARTH_ACME_CA_ROOTS },
  };
}

/** The address people use: https://domain, with the port when it is not 443. */
export function instanceUrl(domain: string, httpsPort: number | null | undefined): string {
  return `https://${domain}${httpsPort && httpsPort !== 443 ? `:${httpsPort}` : ""}`;
}
