import { z } from "zod";

export const emailSchema = z
  .string({ message: "Enter your email address." })
  .trim()
  .toLowerCase()
  .min(1, "Enter your email address.")
  .max(254, "An email address has at most 254 characters.")
  .pipe(z.email({ message: "Enter an email address like name@example.org." }));

export const signUpSchema = z.object({
  name: z
    .string()
    .trim()
    .max(80, "Use at most 80 characters.")
    .refine((value) => !/\p{Cc}/u.test(value), "Use printable characters only.")
    .optional()
    .transform((value) => value || null),
  email: emailSchema,
  password: z
    .string({ message: "Choose a password." })
    .min(10, "Use at least 10 characters.")
    // argon2 handles long input fine; the cap only stops absurd request bodies.
    .max(200, "Use at most 200 characters."),
});

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string({ message: "Enter your password." }).min(1, "Enter your password.").max(200, "Email or password is wrong."),
});

export type SignUpInput = z.infer<typeof signUpSchema>;
export type SignInInput = z.infer<typeof signInSchema>;

/** Only same-site paths are followed after sign-in, never another origin. */
export function safeCallbackPath(value: unknown, fallback = "/dashboard"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.includes("\\")) {
    return fallback;
  }
  return value.length > 500 ? fallback : value;
}
