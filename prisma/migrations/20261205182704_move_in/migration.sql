-- CreateTable
CREATE TABLE "MoveIn" (
    "communityId" TEXT NOT NULL,
    "archive" TEXT,
    "size" BIGINT,
    "version" TEXT,
    "secretsSealed" TEXT,
    "acceptedAt" TIMESTAMP(3),
    "restoredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MoveIn_pkey" PRIMARY KEY ("communityId")
);

-- AddForeignKey
ALTER TABLE "MoveIn" ADD CONSTRAINT "MoveIn_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE CASCADE ON UPDATE CASCADE;
