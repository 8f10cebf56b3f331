// The communities' public entry: what other domains may use.
export { communityRef, communityNameSchema } from "./schemas";
export { createCommunity } from "./create-community";
export { afterClose, closeCommunity } from "./close-community";
export { deletedByThemselves, takeBack, takeBackSelect } from "./move-back-in";
