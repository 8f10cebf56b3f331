-- AlterTable
ALTER TABLE "TenantOperation" ADD COLUMN     "heartbeatAt" TIMESTAMP(3);
