using CrisisOps.HealthProbe;

return await Probe.RunAsync(args, Environment.GetEnvironmentVariable, Console.Error);
