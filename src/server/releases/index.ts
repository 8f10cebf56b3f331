// The releases domain's public entry: version comparison, for domains that hold versions against each other (a move-in archive's version against what this host sets up).
export { compareVersions, parseVersion } from "./compare-versions";
