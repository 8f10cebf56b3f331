-- CreateEnum
CREATE TYPE "FundingState" AS ENUM ('AWAITING_FUNDING', 'FUNDED', 'GRACE', 'SUSPENDED');

-- CreateEnum
CREATE TYPE "ContributionStatus" AS ENUM ('PENDING', 'INCOMPLETE', 'INCOMPLETE_EXPIRED', 'TRIALING', 'ACTIVE', 'PAST_DUE', 'UNPAID', 'PAUSED', 'CANCELED');

-- CreateEnum
CREATE TYPE "LedgerKind" AS ENUM ('PAYMENT', 'REFUND', 'HOSTING');

-- AlterTable
ALTER TABLE "Community" ADD COLUMN     "adminSuspendedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "StripeCustomer" (
    "userId" TEXT NOT NULL,
    "stripeCustomerId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StripeCustomer_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "CommunityFunding" (
    "communityId" TEXT NOT NULL,
    "state" "FundingState" NOT NULL DEFAULT 'AWAITING_FUNDING',
    "stateSince" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "graceEndsAt" TIMESTAMP(3),
    "paidThrough" TIMESTAMP(3),
    "anchorAt" TIMESTAMP(3),
    "monthsCharged" INTEGER NOT NULL DEFAULT 0,
    "stripeProductId" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CommunityFunding_pkey" PRIMARY KEY ("communityId")
);

-- CreateTable
CREATE TABLE "FundingTransition" (
    "id" TEXT NOT NULL,
    "seq" SERIAL NOT NULL,
    "communityId" TEXT NOT NULL,
    "fromState" "FundingState",
    "toState" "FundingState" NOT NULL,
    "reason" TEXT NOT NULL,
    "balance" INTEGER NOT NULL,
    "instanceRequest" TEXT,
    "instanceRequestDoneAt" TIMESTAMP(3),
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FundingTransition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Contribution" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "stripeCustomerId" TEXT NOT NULL,
    "stripeCheckoutSessionId" TEXT,
    "stripeSubscriptionId" TEXT,
    "status" "ContributionStatus" NOT NULL DEFAULT 'PENDING',
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "isPublic" BOOLEAN NOT NULL,
    "publicName" TEXT,
    "message" TEXT,
    "cancelAtPeriodEnd" BOOLEAN NOT NULL DEFAULT false,
    "currentPeriodEnd" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Contribution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerEntry" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "contributionId" TEXT,
    "kind" "LedgerKind" NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "stripeInvoiceId" TEXT,
    "stripeRefundId" TEXT,
    "stripePaymentIntentId" TEXT,
    "receiptUrl" TEXT,
    "periodStart" TIMESTAMP(3),
    "periodEnd" TIMESTAMP(3),
    "hostingKey" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StripeEvent" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StripeEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EmailOutbox" (
    "id" TEXT NOT NULL,
    "toEmail" TEXT NOT NULL,
    "toUserId" TEXT,
    "communityId" TEXT,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "EmailOutbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "StripeCustomer_stripeCustomerId_key" ON "StripeCustomer"("stripeCustomerId");

-- CreateIndex
CREATE INDEX "CommunityFunding_state_paidThrough_idx" ON "CommunityFunding"("state", "paidThrough");

-- CreateIndex
CREATE INDEX "CommunityFunding_state_graceEndsAt_idx" ON "CommunityFunding"("state", "graceEndsAt");

-- CreateIndex
CREATE INDEX "FundingTransition_communityId_seq_idx" ON "FundingTransition"("communityId", "seq");

-- CreateIndex
CREATE INDEX "FundingTransition_instanceRequestDoneAt_instanceRequest_idx" ON "FundingTransition"("instanceRequestDoneAt", "instanceRequest");

-- CreateIndex
CREATE UNIQUE INDEX "Contribution_stripeCheckoutSessionId_key" ON "Contribution"("stripeCheckoutSessionId");

-- CreateIndex
CREATE UNIQUE INDEX "Contribution_stripeSubscriptionId_key" ON "Contribution"("stripeSubscriptionId");

-- CreateIndex
CREATE INDEX "Contribution_communityId_status_idx" ON "Contribution"("communityId", "status");

-- CreateIndex
CREATE INDEX "Contribution_userId_idx" ON "Contribution"("userId");

-- CreateIndex
CREATE INDEX "Contribution_stripeCustomerId_idx" ON "Contribution"("stripeCustomerId");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerEntry_stripeInvoiceId_key" ON "LedgerEntry"("stripeInvoiceId");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerEntry_stripeRefundId_key" ON "LedgerEntry"("stripeRefundId");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerEntry_hostingKey_key" ON "LedgerEntry"("hostingKey");

-- CreateIndex
CREATE INDEX "LedgerEntry_communityId_occurredAt_idx" ON "LedgerEntry"("communityId", "occurredAt");

-- CreateIndex
CREATE INDEX "LedgerEntry_contributionId_idx" ON "LedgerEntry"("contributionId");

-- CreateIndex
CREATE INDEX "LedgerEntry_stripePaymentIntentId_idx" ON "LedgerEntry"("stripePaymentIntentId");

-- CreateIndex
CREATE INDEX "StripeEvent_receivedAt_idx" ON "StripeEvent"("receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "EmailOutbox_dedupeKey_key" ON "EmailOutbox"("dedupeKey");

-- CreateIndex
CREATE INDEX "EmailOutbox_sentAt_createdAt_idx" ON "EmailOutbox"("sentAt", "createdAt");

-- AddForeignKey
ALTER TABLE "StripeCustomer" ADD CONSTRAINT "StripeCustomer_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommunityFunding" ADD CONSTRAINT "CommunityFunding_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FundingTransition" ADD CONSTRAINT "FundingTransition_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "CommunityFunding"("communityId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contribution" ADD CONSTRAINT "Contribution_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contribution" ADD CONSTRAINT "Contribution_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_contributionId_fkey" FOREIGN KEY ("contributionId") REFERENCES "Contribution"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
