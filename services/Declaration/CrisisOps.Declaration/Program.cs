using CrisisOps.Declaration;

await DeclarationService.Build(args).RunAsync();
