-- AlterEnum
ALTER TYPE "FundingState" ADD VALUE 'CLOSED';

-- AlterTable
ALTER TABLE "Community" ADD COLUMN     "adminSuspendedReason" TEXT;

-- AlterTable
ALTER TABLE "CommunityFunding" ADD COLUMN     "closedAt" TIMESTAMP(3),
ADD COLUMN     "demoOffsetSeconds" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "refundPaymentsFrom" TIMESTAMP(3);
