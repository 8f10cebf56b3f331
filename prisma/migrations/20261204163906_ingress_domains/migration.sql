-- AlterTable
ALTER TABLE "Community" ADD COLUMN     "domain" TEXT,
ADD COLUMN     "domainOwn" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "domainVerifiedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Instance" ADD COLUMN     "routedAt" TIMESTAMP(3);

-- CreateIndex
CREATE UNIQUE INDEX "Community_domain_key" ON "Community"("domain");
