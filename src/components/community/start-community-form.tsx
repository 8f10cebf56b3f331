"use client";
import { useFormAction } from "@/components/forms/use-form-action";
import { createCommunityAction } from "@/server/communities/actions";
import { idleState } from "@/server/actions/action-state";
import { ADDRESS_MAX, ADDRESS_MIN, DESCRIPTION_MAX, RULES_MAX } from "@/lib/community-limits";
import { Choices, TextArea, TextField, type Choice } from "@/components/forms/fields";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";

export function StartCommunityForm({
  baseDomain,
  software,
  plans,
  initial,
}: {
  baseDomain: string;
  software: Choice[];
  plans: Choice[];
  /** Filled in before anything is typed (a deleted community moving back in). */
  initial?: Record<string, string>;
}) {
  const [state, action] = useFormAction(createCommunityAction, idleState);
  const values = state.values ?? initial ?? {};
  const errors = state.fields ?? {};
  return (
    <form action={action} className="stack" noValidate>
      <FormMessage state={state} />
      <TextField name="name" label="Community name" required defaultValue={values.name} error={errors.name} />
      <TextField
        name="address"
        label="Address"
        required
        autoComplete="off"
        spellCheck={false}
        defaultValue={values.address}
        error={errors.address}
        hint={`Names your community on this host; unless you bring a domain of your own, your server lives at <address>.${baseDomain}. ${ADDRESS_MIN} to ${ADDRESS_MAX} lowercase letters, digits and hyphens; it cannot be changed later.`}
      />
      <Choices
        name="domainKind"
        label="Your server's domain"
        required
        defaultValue={values.domainKind ?? "base"}
        error={errors.domainKind}
        hint="Mastodon and Misskey keep the domain they were set up with for good: once the server is set up, its domain can never change."
        choices={[
          { value: "base", label: `<address>.${baseDomain}`, hint: "Ready as soon as the server is set up." },
          {
            value: "own",
            label: "A domain of our own",
            hint: "Enter it below. We show you the DNS records to create; the server is set up only once they are in place.",
          },
        ]}
      />
      <TextField
        name="ownDomain"
        label="Your own domain (only with “a domain of our own”)"
        autoComplete="off"
        spellCheck={false}
        defaultValue={values.ownDomain}
        error={errors.ownDomain}
        hint={`A domain you control, e.g. social.example.org: lowercase, with at least one dot, not under ${baseDomain}.`}
      />
      <Choices name="software" label="Software" choices={software} required defaultValue={values.software ?? (software.length === 1 ? software[0]?.value : undefined)} error={errors.software} />
      <Choices name="planId" label="Size" choices={plans} required defaultValue={values.planId} error={errors.planId} hint="You can move to another size later." />
      <Choices
        name="start"
        label="Start with"
        required
        defaultValue={values.start ?? "empty"}
        error={errors.start}
        choices={[
          { value: "empty", label: "A new, empty server" },
          {
            value: "move-in",
            label: "Move in from an export",
            hint: "An export archive of a Mastodon, Misskey-family or Bluesky PDS server from another Hearth, or of a Mastodon or Misskey-family server you run yourself, packed with the pack-archive.sh script the dashboard links to. Its domain must be the domain chosen above (a server keeps its domain when it moves). You upload it on the community's dashboard; it is checked there, and the server is set up with its data and secrets once the community is funded.",
          },
        ]}
      />
      <TextArea
        name="description"
        label="Short description"
        rows={3}
        defaultValue={values.description}
        error={errors.description}
        hint={`Who is it for? Up to ${DESCRIPTION_MAX} characters, shown on the public page as plain text.`}
      />
      <TextArea
        name="rules"
        label="Rules"
        rows={6}
        defaultValue={values.rules}
        error={errors.rules}
        hint={`The rules members agree to, up to ${RULES_MAX} characters of plain text. You can change them later.`}
      />
      <SubmitButton pendingText="Starting…">Start the community</SubmitButton>
    </form>
  );
}
