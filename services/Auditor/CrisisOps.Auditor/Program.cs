using CrisisOps.Auditor;

await AuditorService.Build(args).RunAsync();
