-- CreateEnum
CREATE TYPE "AuditResult" AS ENUM ('SUCCEEDED', 'REFUSED', 'FAILED');

-- CreateEnum
CREATE TYPE "TenantOperationKind" AS ENUM ('RESTART', 'EXPORT');

-- CreateEnum
CREATE TYPE "TenantOperationState" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- AlterTable
ALTER TABLE "Community" ADD COLUMN     "deletedAt" TIMESTAMP(3),
ADD COLUMN     "revision" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "ip" TEXT,
ADD COLUMN     "result" "AuditResult",
ADD COLUMN     "userAgent" TEXT;

-- CreateTable
CREATE TABLE "TenantOperation" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "kind" "TenantOperationKind" NOT NULL,
    "state" "TenantOperationState" NOT NULL DEFAULT 'QUEUED',
    "requestedById" TEXT,
    "detail" TEXT,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "TenantOperation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TenantOperation_communityId_createdAt_idx" ON "TenantOperation"("communityId", "createdAt");

-- CreateIndex
CREATE INDEX "TenantOperation_state_createdAt_idx" ON "TenantOperation"("state", "createdAt");

-- CreateIndex
CREATE INDEX "Community_name_id_idx" ON "Community"("name", "id");

-- CreateIndex
CREATE INDEX "Community_createdAt_id_idx" ON "Community"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Community_status_id_idx" ON "Community"("status", "id");

-- AddForeignKey
ALTER TABLE "TenantOperation" ADD CONSTRAINT "TenantOperation_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE CASCADE ON UPDATE CASCADE;
