using CrisisOps.Reception;

await ReceptionService.Build(args).RunAsync();
