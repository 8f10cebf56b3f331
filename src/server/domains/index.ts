// Own domains' public entry: the DNS check an organiser's own domain must pass before the
// ingress routes it or asks for its certificate, and the worker's periodic re-check of it.
export { domainTarget, ownDomainAddresses, verifyOwnDomain } from "./verify-own-domain";
export { checkCommunityDomain } from "./check-community-domain";
export { recheckOwnDomains, startDomainRecheck, verifyWaitingDomains } from "./recheck-own-domains";
export type { DomainCheck, DomainProblem, HostAddresses } from "./check-domain-dns";
