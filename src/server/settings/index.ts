// The host settings' public entry: what other domains may use. Settings depend only on the
// environment (src/server/config) and the database, never on another domain.
export { defaultVersions, fundingDefaults } from "./defaults";
export { getHostSettings, SETTING, type HostSettings } from "./host-settings";
export { imagesForVersion, versionOf } from "./image-versions";
export { imagesForNewInstance } from "./new-instance-images";
export { moneyField } from "./schemas";
export { versionTag } from "./tag";
