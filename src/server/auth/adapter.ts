// next-auth adapter over our Prisma models, used only by OAuth sign-ins (sessions are JWTs,
// so the session and verification-token methods are never called). next-auth refuses to
// attach an OAuth account to an existing user by email, which stops takeovers through a
// provider that does not verify addresses.
import "server-only";
import type { Adapter, AdapterAccount, AdapterUser } from "next-auth/adapters";
import { db } from "@/server/db/client";
import { createUser } from "./create-user";

const userFields = { id: true, email: true, name: true, image: true, emailVerified: true } as const;

const asAdapterUser = (user: { id: string; email: string; name: string | null; image: string | null; emailVerified: Date | null }): AdapterUser => user;

export function hearthAdapter(): Adapter {
  return {
    async createUser(user: Omit<AdapterUser, "id">) {
      if (!user.email) throw new Error("the provider did not share an email address");
      const created = await createUser({ email: user.email, name: user.name, image: user.image, emailVerified: user.emailVerified });
      return asAdapterUser(created);
    },
    async getUser(id) {
      return db.user.findUnique({ where: { id }, select: userFields });
    },
    async getUserByEmail(email) {
      return db.user.findUnique({ where: { email: email.toLowerCase() }, select: userFields });
    },
    async getUserByAccount({ provider, providerAccountId }) {
      const account = await db.account.findUnique({
        where: { provider_providerAccountId: { provider, providerAccountId } },
        select: { user: { select: userFields } },
      });
      return account?.user ?? null;
    },
    async updateUser({ id, name, image, emailVerified }) {
      return db.user.update({ where: { id }, data: { name, image, emailVerified }, select: userFields });
    },
    async linkAccount(account: AdapterAccount) {
      await db.account.create({
        data: {
          userId: account.userId,
          type: account.type,
          provider: account.provider,
          providerAccountId: account.providerAccountId,
          refresh_token: account.refresh_token ?? null,
          access_token: account.access_token ?? null,
          expires_at: account.expires_at ?? null,
          token_type: account.token_type ?? null,
          scope: account.scope ?? null,
          id_token: account.id_token ?? null,
          session_state: typeof account.session_state === "string" ? account.session_state : null,
        },
      });
    },
    async unlinkAccount({ provider, providerAccountId }: Pick<AdapterAccount, "provider" | "providerAccountId">) {
      await db.account.deleteMany({ where: { provider, providerAccountId } });
    },
  };
}
