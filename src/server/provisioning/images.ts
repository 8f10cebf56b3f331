// The images pinned on an instance (a JSON column): read back through zod.
import { z } from "zod";

export const instanceImagesSchema = z.object({
  app: z.string().min(1),
  streaming: z.string().min(1).optional(),
  // Absent for a Bluesky PDS (one process, SQLite).
  db: z.string().min(1).optional(),
  redis: z.string().min(1).optional(),
});
