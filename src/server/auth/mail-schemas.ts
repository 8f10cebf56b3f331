import { z } from "zod";
import { emailSchema, signUpSchema } from "./schemas";

const token = z.string().trim().min(1).max(100);

export const forgotPasswordSchema = z.object({ email: emailSchema });
export const resetPasswordSchema = z.object({ token, password: signUpSchema.shape.password });
export const tokenSchema = z.object({ token });
export const changeEmailSchema = z.object({
  email: emailSchema,
  password: z.string().max(200, "This is not your current password.").default(""),
});
