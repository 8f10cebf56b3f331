// The PDS process, as upstream's image runs it (bluesky-social/pds, service/index.js): the
// @atproto/pds package configured from PDS_* environment variables, stopped gracefully on
// SIGTERM/SIGINT. PDS.run() reads the environment, creates, starts and waits for the signal.
import { PDS } from "@atproto/pds";

await PDS.run();
