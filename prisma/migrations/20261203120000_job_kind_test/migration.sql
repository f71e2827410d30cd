-- Database tests: a workload run against an allow-listed real database, then checked.
ALTER TYPE "JobKind" ADD VALUE 'test';
