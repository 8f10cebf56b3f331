// Own domains' public entry: the DNS check an organiser's own domain must pass before the
// ingress routes it or asks for its certificate, and the worker's periodic re-check of it.
export { verifyOwnDomain } from "./verify-own-domain";
export { recheckOwnDomains, startDomainRecheck } from "./recheck-own-domains";
export type { DomainCheck, DomainProblem } from "./check-domain-dns";
