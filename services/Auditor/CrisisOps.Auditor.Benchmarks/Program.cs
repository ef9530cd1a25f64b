using CrisisOps.Auditor.Benchmarks;

return await AuditBenchmark.RunAsync(args);
