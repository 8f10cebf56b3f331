// How a form names the community it acts on: its address, trimmed and bounded. Shared by every
// domain's form schemas, so none of them depends on the communities domain for it.
import { z } from "zod";

export const communityRef = z.string().trim().max(64).default("");
