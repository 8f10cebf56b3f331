-- AlterEnum
ALTER TYPE "Software" ADD VALUE 'BLUESKY_PDS';
