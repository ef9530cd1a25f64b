using CrisisOps.Measures;

await MeasuresService.Build(args).RunAsync();
