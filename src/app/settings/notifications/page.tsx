import type { Metadata } from "next";
import { NotificationForm } from "@/components/account/notification-form";
import { actorOrSignIn } from "@/server/auth/current-actor";
import { getNotificationSettings } from "@/server/mail/notification-settings";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage() {
  const actor = await actorOrSignIn("/settings/notifications");
  const topics = await getNotificationSettings(actor.id);
  return (
    <section className="narrow">
      <h1>Notifications</h1>
      <p>
        Hearth mails you about the communities you run or support. You can turn these off; mail about your account
        (confirming your address, resetting your password), invitations, failed payments and exports you asked for
        always comes.
      </p>
      <NotificationForm topics={topics} />
    </section>
  );
}
