using CrisisOps.Witness;

return await WitnessCommand.Create().Parse(args).InvokeAsync();
