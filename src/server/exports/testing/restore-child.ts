// A restore in a process of its own, so a test can kill it with SIGKILL half way (as a worker
// dies): `node --import tsx --conditions=react-server restore-child.ts <communityId> <archive>`.
// Prints each progress line on standard output.
import { restoreInstance } from "../restore-instance";

const [communityId, archive] = process.argv.slice(2);
if (!communityId || !archive) throw new Error("usage: restore-child.ts <communityId> <archive>");
await restoreInstance(communityId, archive, (detail) => {
  process.stdout.write(`${detail}\n`);
});
process.stdout.write("DONE\n");
process.exit(0);
