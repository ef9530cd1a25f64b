using System.CommandLine;
using CrisisOps.Forgery;
using Npgsql;

var connection = new Option<string>("--connection") { Description = "A connection string with full rights on the store (the owner or superuser role)", Required = true };
var schema = new Option<string>("--schema") { Description = "The store", Required = true };
var sequence = new Option<long>("--sequence") { Description = "The position of the decision to rewrite", Required = true };
var field = new Option<string>("--field") { Description = "The top-level field of the event's data to set", Required = true };
var value = new Option<string>("--value") { Description = "Its new value, as JSON (e.g. '\"2022-12-31\"')", Required = true };
var rewrite = new Command("rewrite", "Rewrites one decision's data, recomputes every stream chain, and drops the log chain and Merkle log for the service to rebuild " +
    "(restart it). Prints 'stream version' of the decision rewritten.")
{
    connection, schema, sequence, field, value,
};
rewrite.SetAction(async (result, ct) =>
{
    try
    {
        var cs = result.GetRequiredValue(connection);
        var store = result.GetRequiredValue(schema);
        var (stream, version) = await OperatorForgery.RewriteAsync(cs, store, result.GetRequiredValue(sequence), result.GetRequiredValue(field), result.GetRequiredValue(value), ct);
        var events = await OperatorForgery.RecomputeAsync(cs, store, ct);
        Console.WriteLine($"{stream} {version}");
        Console.Error.WriteLine($"crisisops-forge: rewrote {store} {stream} v{version}; {events} stream-chain hashes recomputed; log chain and Merkle log dropped");
        return 0;
    }
    catch (Exception ex) when (ex is ArgumentException or NpgsqlException)
    {
        Console.Error.WriteLine($"crisisops-forge: {ex.Message}");
        return 2;
    }
});
return await new RootCommand("crisisops-forge: the operator's attack of the issue-11 walkthrough (never deployed)") { rewrite }.Parse(args).InvokeAsync();
