-- CreateEnum
CREATE TYPE "JobKind" AS ENUM ('check', 'run');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('queued', 'running', 'done', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "Outcome" AS ENUM ('ok', 'violated', 'unknown');

-- CreateEnum
CREATE TYPE "TokenScope" AS ENUM ('submit', 'read', 'admin');

-- CreateTable
CREATE TABLE "jobs" (
    "id" UUID NOT NULL,
    "seq" SERIAL NOT NULL,
    "kind" "JobKind" NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "max_attempts" INTEGER NOT NULL DEFAULT 3,
    "team" TEXT,
    "submitted_by" UUID,
    "protocol" TEXT,
    "model" TEXT,
    "spec" JSONB NOT NULL,
    "outcome" "Outcome",
    "consistency" TEXT,
    "isolation" TEXT,
    "error" JSONB,
    "progress" JSONB,
    "claimed_by" TEXT,
    "heartbeat_at" TIMESTAMP(3),
    "parent_id" UUID,
    "part_index" INTEGER,
    "parts_total" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "histories" (
    "id" UUID NOT NULL,
    "job_id" UUID NOT NULL,
    "format" TEXT NOT NULL,
    "source" TEXT,
    "events" INTEGER NOT NULL,
    "bytes" BIGINT NOT NULL,
    "stored_bytes" BIGINT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "histories_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "history_chunks" (
    "history_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "first_line" INTEGER NOT NULL,
    "lines" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "history_chunks_pkey" PRIMARY KEY ("history_id","seq")
);

-- CreateTable
CREATE TABLE "reports" (
    "id" UUID NOT NULL,
    "job_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "outcome" "Outcome" NOT NULL,
    "consistency" TEXT,
    "isolation" TEXT,
    "levels" JSONB NOT NULL,
    "isolation_result" JSONB,
    "summary" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "elapsed_ms" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "anomalies" (
    "id" UUID NOT NULL,
    "seq" SERIAL NOT NULL,
    "job_id" UUID NOT NULL,
    "report_id" UUID NOT NULL,
    "category" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "level" TEXT,
    "rules_out" TEXT[],
    "sentence" TEXT NOT NULL,
    "witness" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "anomalies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "team" TEXT,
    "scopes" "TokenScope"[],
    "hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "jobs_seq_key" ON "jobs"("seq");

-- CreateIndex
CREATE INDEX "jobs_status_seq_idx" ON "jobs"("status", "seq");

-- CreateIndex
CREATE INDEX "jobs_team_seq_idx" ON "jobs"("team", "seq");

-- CreateIndex
CREATE INDEX "jobs_parent_id_idx" ON "jobs"("parent_id");

-- CreateIndex
CREATE UNIQUE INDEX "histories_job_id_key" ON "histories"("job_id");

-- CreateIndex
CREATE UNIQUE INDEX "reports_job_id_key" ON "reports"("job_id");

-- CreateIndex
CREATE UNIQUE INDEX "anomalies_seq_key" ON "anomalies"("seq");

-- CreateIndex
CREATE INDEX "anomalies_type_seq_idx" ON "anomalies"("type", "seq");

-- CreateIndex
CREATE INDEX "anomalies_level_seq_idx" ON "anomalies"("level", "seq");

-- CreateIndex
CREATE INDEX "anomalies_job_id_idx" ON "anomalies"("job_id");

-- CreateIndex
CREATE INDEX "anomalies_report_id_idx" ON "anomalies"("report_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_hash_key" ON "api_tokens"("hash");

-- AddForeignKey
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_submitted_by_fkey" FOREIGN KEY ("submitted_by") REFERENCES "api_tokens"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "histories" ADD CONSTRAINT "histories_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "history_chunks" ADD CONSTRAINT "history_chunks_history_id_fkey" FOREIGN KEY ("history_id") REFERENCES "histories"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reports" ADD CONSTRAINT "reports_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "anomalies" ADD CONSTRAINT "anomalies_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "anomalies" ADD CONSTRAINT "anomalies_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "reports"("id") ON DELETE CASCADE ON UPDATE CASCADE;
