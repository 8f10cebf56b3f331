// Form inputs of the exports card: which community, which of its archives.
import { z } from "zod";
import { communityRef } from "@/lib/community-ref";
import { archiveNameSchema } from "./exports-dir";

export const archiveRequestSchema = z.object({ community: communityRef, archive: archiveNameSchema });
