import { z } from "zod";
import { BIDI_MESSAGE, hasBidiControls, hasControlCharacters } from "@/lib/safe-text";

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
    .refine((value) => !hasControlCharacters(value), "Use printable characters only.")
    .refine((value) => !hasBidiControls(value), BIDI_MESSAGE)
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

/** Password change: the current one (checked), and the new one twice. */
export const changePasswordSchema = z
  .object({
    // Field names say "password" so that no form action ever sends them back (with-action.ts).
    currentPassword: z.string({ message: "Enter your current password." }).min(1, "Enter your current password.").max(200, "Your current password is wrong."),
    newPassword: signUpSchema.shape.password,
    confirmPassword: z.string().max(200),
  })
  .refine((value) => value.newPassword === value.confirmPassword, { path: ["confirmPassword"], message: "The two new passwords differ." });

export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;
