// Own domains' public entry: the DNS check an organiser's own domain must pass before the
// ingress routes it or asks for its certificate.
export { verifyOwnDomain } from "./verify-own-domain";
export type { DomainCheck, DomainProblem } from "./check-domain-dns";
