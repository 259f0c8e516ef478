-- CreateIndex
CREATE INDEX "Task_companyId_dueAt_id_idx" ON "Task"("companyId", "dueAt", "id");
