// Saves the host's relay for instances (/admin/settings). Empty host removes the row (instances
// then use Hearth's own relay); an empty password field keeps the stored password.
import "server-only";
import { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import type { Actor } from "@/server/auth/permissions";
import { assertHostPermission } from "@/server/auth/host-permission";
import type { RequestOrigin } from "@/server/audit/request-origin";
import { recordAudit } from "@/server/audit/record-audit";
import { db } from "@/server/db/client";
import { INSTANCE_MAIL_SETTING, instanceMailRowSchema, sealRelayPassword, TLS_MODES, type InstanceMailRow } from "./instance-mail";

export const instanceRelaySchema = z
  .object({
    host: z
      .string()
      .trim()
      .max(253)
      .refine((v) => v === "" || /^[a-z0-9.-]+$/i.test(v), "Enter a host name such as smtp.example.org, or leave it empty."),
    port: z.coerce.number({ message: "Enter a port number." }).int("Enter a whole number.").min(1, "Ports go from 1 to 65535.").max(65535, "Ports go from 1 to 65535."),
    tls: z.enum(TLS_MODES, { message: "Choose how the connection is encrypted." }),
    user: z.string().trim().max(254).default(""),
    password: z.string().max(500).default(""),
    clearPassword: z.string().optional().transform((v) => v === "on"),
    from: z
      .string()
      .trim()
      .max(254)
      .refine((v) => /^[^\s<>@]+@([^\s<>@]+|\{domain\})$/.test(v), "Enter an address such as notifications@{domain} ({domain} is each instance's domain)."),
  })
  .refine((v) => v.host !== "" || (v.user === "" && v.password === ""), { path: ["host"], message: "Enter the relay's host name for this login." });
export type InstanceRelayInput = z.output<typeof instanceRelaySchema>;

export async function updateInstanceRelay(actor: Actor | null, origin: RequestOrigin, input: InstanceRelayInput): Promise<void> {
  assertHostPermission(actor, "admin.settings.write");
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('hearth.host-settings', 0))`;
    if (input.host === "") {
      await tx.setting.deleteMany({ where: { key: INSTANCE_MAIL_SETTING } });
    } else {
      const before = await tx.setting.findUnique({ where: { key: INSTANCE_MAIL_SETTING } });
      const previous = before ? instanceMailRowSchema.safeParse(before.value) : null;
      const keep = previous?.success ? previous.data.passwordSealed : null;
      const row: InstanceMailRow = {
        host: input.host.toLowerCase(),
        port: input.port,
        tls: input.tls,
        user: input.user || null,
        passwordSealed: input.clearPassword ? null : input.password ? sealRelayPassword(input.password) : keep,
        from: input.from,
      };
      const value = row as unknown as Prisma.InputJsonValue;
      await tx.setting.upsert({ where: { key: INSTANCE_MAIL_SETTING }, create: { key: INSTANCE_MAIL_SETTING, value }, update: { value } });
    }
    await recordAudit(tx, {
      actorId: actor.id,
      action: "settings.instance_mail",
      data: { host: input.host || null, port: input.port, tls: input.tls, from: input.from, passwordChanged: Boolean(input.password) || input.clearPassword },
      origin,
      result: "SUCCEEDED",
    });
  });
}
