-- AlterTable
ALTER TABLE "Community" ADD COLUMN     "pdsOpenSignUp" BOOLEAN NOT NULL DEFAULT false;
