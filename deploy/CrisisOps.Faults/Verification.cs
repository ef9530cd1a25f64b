using CrisisOps.Declaration.Grpc.V1;
using CrisisOps.Reception.Grpc.V1;
using CrisisOps.Testing;
using Grpc.Core;
using Npgsql;

namespace CrisisOps.Faults;

/// <summary>One line of the closing table: what was checked, for which service, and how many were lost.</summary>
public sealed record Check(string Service, string What, long Expected, long Found, long Lost)
{
    public bool Passed => Lost == 0;
}

/// <summary>
/// After the load and its faults: in the stores (every OK'd decision recorded exactly once, every failed one at most
/// once, every integration event processed by its consumer), through the read APIs (each crisis found, each
/// facility's occupancy the sum of its OK'd arrivals), and the relay's position back at the high-water mark.
/// </summary>
public sealed class Verification(string postgres, IReadOnlyDictionary<string, string> schemas, string token, string rabbit, string strainQueue)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    public async Task<List<Check>> RunAsync(IReadOnlyList<Decision> decisions, ServiceProcess declaration, ServiceProcess reception)
    {
        var checks = new List<Check>();
        await using var db = new NpgsqlConnection(postgres);
        await db.OpenAsync();
        foreach (var (service, eventType, consumer, consumerService) in new[]
                 {
                     ("declaration", "crisis_declared", "crisis-facts", "measures"),
                     ("reception", "arrivals_recorded", (string?)null, "reception"),
                 })
        {
            var mine = decisions.Where(d => d.Kind == service).ToList();
            var ok = mine.Where(d => d.Ok).ToList();
            var counts = await RecordedAsync(db, schemas[service], eventType, mine.Select(d => d.RequestId));
            checks.Add(new Check(service, "OK'd decisions recorded exactly once", ok.Count, ok.Count(d => counts.GetValueOrDefault(d.RequestId) == 1),
                ok.Count(d => counts.GetValueOrDefault(d.RequestId) != 1)));
            var failed = mine.Where(d => !d.Ok).ToList();
            checks.Add(new Check(service, "never-OK'd decisions recorded at most once", failed.Count, failed.Count(d => counts.GetValueOrDefault(d.RequestId) <= 1),
                failed.Count(d => counts.GetValueOrDefault(d.RequestId) > 1)));

            // Every event those decisions recorded reached its consumer (message id = event id), once: the key is unique.
            // Reception's area-strain consumer decides from the facility views, not from the message, and records
            // nothing when the level stands: what shows that each occupancy change reached it is its queue drained
            // with nothing faulted (and the relay lag, below, at zero).
            if (consumer is null)
            {
                var left = await EventuallyAsync(() => UnconsumedAsync(rabbit, strainQueue), n => n == 0);
                checks.Add(new Check($"{service} → {consumerService}", $"occupancy changes consumed by area-strain (queue drained, none faulted)", 0, left, left));
                continue;
            }

            var events = await EventIdsAsync(db, schemas[service], eventType, ok.Select(d => d.RequestId));
            var processed = await EventuallyAsync(() => ProcessedAsync(db, schemas[consumerService], consumer, events), found => found == events.Count);
            checks.Add(new Check($"{service} → {consumerService}", $"{eventType} processed by {consumer}", events.Count, processed, events.Count - processed));
        }

        checks.Add(await CrisesReadableAsync(decisions, declaration));
        checks.AddRange(await OccupancyAsync(decisions, reception));
        foreach (var (service, schema) in schemas)
        {
            var lag = await EventuallyAsync(() => RelayLagAsync(db, schema), l => l == 0);
            checks.Add(new Check(service, "relay lag (events behind the high-water mark)", 0, lag, lag));
        }

        return checks;
    }

    /// <summary>Messages waiting in <paramref name="queue"/> plus those moved to its error queue.</summary>
    private static async Task<long> UnconsumedAsync(string rabbit, string queue)
    {
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(rabbit) };
        await using var connection = await factory.CreateConnectionAsync();
        long total = 0;
        foreach (var name in new[] { queue, queue + "_error" })
        {
            await using var channel = await connection.CreateChannelAsync();
            try
            {
                total += (await channel.QueueDeclarePassiveAsync(name)).MessageCount;
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException) when (name != queue)
            {
                // No error queue: nothing ever faulted.
            }
        }

        return total;
    }

    private static async Task<Dictionary<string, long>> RecordedAsync(NpgsqlConnection db, string schema, string type, IEnumerable<string> requestIds)
    {
        await using var command = new NpgsqlCommand(
            $"select causation_id, count(*) from {schema}.mt_events where type = @type and causation_id = any(@ids) group by causation_id", db);
        command.Parameters.AddWithValue("type", type);
        command.Parameters.AddWithValue("ids", requestIds.ToArray());
        var counts = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) counts[reader.GetString(0)] = reader.GetInt64(1);
        return counts;
    }

    private static async Task<List<Guid>> EventIdsAsync(NpgsqlConnection db, string schema, string type, IEnumerable<string> requestIds)
    {
        await using var command = new NpgsqlCommand($"select id from {schema}.mt_events where type = @type and causation_id = any(@ids)", db);
        command.Parameters.AddWithValue("type", type);
        command.Parameters.AddWithValue("ids", requestIds.ToArray());
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        return ids;
    }

    private static async Task<long> ProcessedAsync(NpgsqlConnection db, string schema, string consumer, List<Guid> events)
    {
        await using var command = new NpgsqlCommand($"select count(*) from {schema}.mt_doc_processedmessage where id = any(@ids)", db);
        command.Parameters.AddWithValue("ids", events.Select(e => $"{consumer}/{e}").ToArray());
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>How far the relay is behind the store's high-water mark (0: every committed event was published).</summary>
    private static async Task<long> RelayLagAsync(NpgsqlConnection db, string schema)
    {
        await using var command = new NpgsqlCommand(
            $"select coalesce((select last_seq_id from {schema}.mt_event_progression where name = 'HighWaterMark'), 0)"
            + $" - coalesce((select last_seq_id from {schema}.mt_event_progression where name like 'integration-event-relay%'), 0)", db);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<Check> CrisesReadableAsync(IReadOnlyList<Decision> decisions, ServiceProcess declaration)
    {
        var client = new CrisisDeclaration.CrisisDeclarationClient(declaration.Channel);
        var ok = decisions.Where(d => d.Kind == "declaration" && d.Ok).ToList();
        var found = 0;
        foreach (var d in ok)
        {
            try
            {
                await client.GetCrisisAsync(new GetCrisisRequest { CrisisId = d.StreamId }, Auth());
                found++;
            }
            catch (RpcException)
            {
                // Counted as lost below.
            }
        }

        return new Check("declaration", "OK'd crises found by GetCrisis", ok.Count, found, ok.Count - found);
    }

    private async Task<IEnumerable<Check>> OccupancyAsync(IReadOnlyList<Decision> decisions, ServiceProcess reception)
    {
        var client = new ReceptionCapacity.ReceptionCapacityClient(reception.Channel);
        var checks = new List<Check>();
        foreach (var facility in decisions.Where(d => d.FacilityId is not null).GroupBy(d => d.FacilityId!))
        {
            var expected = facility.Count(d => d.Ok);
            var details = await client.GetFacilityAsync(new GetFacilityRequest { FacilityId = facility.Key }, Auth());
            var occupied = details.Figures.Occupied.General;
            checks.Add(new Check("reception", $"occupancy of {facility.Key[..17]}… = OK'd arrivals", expected, occupied, Math.Abs(expected - occupied)));
        }

        return checks;
    }

    private CallOptions Auth() => new(new Metadata { { "authorization", $"Bearer {token}" } }, DateTime.UtcNow.AddSeconds(15));

    private static async Task<long> EventuallyAsync(Func<Task<long>> probe, Func<long, bool> done)
    {
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = await probe();
            if (done(value) || DateTime.UtcNow > until) return value;
            await Task.Delay(500);
        }
    }
}
