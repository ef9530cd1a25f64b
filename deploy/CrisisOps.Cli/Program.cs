using System.CommandLine;
using CrisisOps.Cli.Demo;
using CrisisOps.Cli.Keys;
using CrisisOps.Cli.Law;
using CrisisOps.Cli.Tokens;

var root = new RootCommand("crisisops: local signing keys (tokens, transparency logs) and bearer tokens, a replay of a sample crisis through the gRPC API, and the legal catalogue page.")
{
    TokenCommands.Create(),
    KeyCommands.Create(),
    DemoCommand.Create(),
    LawCommands.Create(),
};
return await root.Parse(args).InvokeAsync();
