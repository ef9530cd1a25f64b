using CrisisOps.Auditor.Cli;

return await AuditCommand.Create().Parse(args).InvokeAsync();
