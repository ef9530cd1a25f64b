using CrisisOps.Humanitarian;

await HumanitarianService.Build(args).RunAsync();
