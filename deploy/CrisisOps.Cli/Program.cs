using System.CommandLine;
using CrisisOps.Cli.Demo;
using CrisisOps.Cli.Tokens;

var root = new RootCommand("crisisops: local signing keys and bearer tokens, and a replay of a sample crisis through the gRPC API.")
{
    TokenCommands.Create(),
    DemoCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
