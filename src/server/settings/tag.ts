import { z } from "zod";

// A Docker image tag: what a version is on this host (e.g. v4.5.11, 2025.12.0).
export const versionTag = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "A version is an image tag: letters, digits, . _ - (at most 128 characters).");
