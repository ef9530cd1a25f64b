using CrisisOps.Leverages;

await LeveragesService.Build(args).RunAsync();
