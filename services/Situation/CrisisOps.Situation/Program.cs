using CrisisOps.Situation;

await SituationService.Build(args).RunAsync();
