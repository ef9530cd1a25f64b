using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CrisisOps.ServiceDefaults.Messaging;
using CrisisOps.Testing;
using Grpc.Core;
using Marten;
using MassTransit;
using Xunit;
using static CrisisOps.Testing.RunningService;
using Contract = CrisisOps.Contracts.Declaration.V1;

namespace CrisisOps.Declaration.IntegrationTests;

/// <summary>
/// The service process is killed between committing a decision and forwarding it to RabbitMQ; after a restart
/// the integration event still arrives, and an idempotent consumer acts on it exactly once.
/// </summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RelayCrashTests(StackFixture stack)
{
    public sealed class ProbeEffect
    {
        public string Id { get; set; } = "";
        public string CrisisId { get; set; } = "";
    }

    [Theory]
    [InlineData("CrashBeforePublish", 1)]
    [InlineData("CrashAfterPublish", 2)]
    public async Task A_decision_committed_before_a_crash_reaches_an_idempotent_consumer_exactly_once(string fault, int expectedDeliveries)
    {
        var schema = TestSettings.NewSchema("crash");
        using var consumerStore = DocumentStore.For(o =>
        {
            o.Connection(stack.Infra.Postgres);
            o.DatabaseSchemaName = schema + "_consumer";
        });
        // Other test runs publish crisis declarations on the same broker: count only this test's crisis.
        var deliveries = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var bus = stack.Infra.CreateBus(cfg =>
        {
            cfg.ReceiveEndpoint($"test-crash-{Guid.NewGuid():N}", e =>
            {
                e.AutoDelete = true;
                e.Handler<Contract.CrisisDeclared>(async ctx =>
                {
                    deliveries.Enqueue(ctx.Message.CrisisId);
                    await consumerStore.ConsumeOnceAsync("crash-probe", ctx.MessageId, DateTimeOffset.UtcNow,
                        s =>
                        {
                            s.Store(new ProbeEffect { Id = Guid.NewGuid().ToString(), CrisisId = ctx.Message.CrisisId });
                            return Task.CompletedTask;
                        }, ctx.CancellationToken);
                });
            });
        });
        await bus.StartAsync();
        try
        {
            var crisisId = "";
            int Deliveries() => deliveries.Count(id => id == crisisId);
            using (var crashing = await ServiceProcess.StartAsync(stack, schema, fault))
            {
                var request = Requests.PolandBelarus();
                try
                {
                    crisisId = (await StackFixture.Client(crashing.Service).DeclareCrisisAsync(request, As(stack.Tokens.Ministry("PL")))).Result.Id;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
                {
                    // Woken by the commit, the relay may crash the process before the answer leaves it: the decision
                    // is committed all the same, and its event names the request that made it.
                    crisisId = await CrisisOfRequestAsync(schema, request.RequestId);
                }

                Assert.True(crashing.Process.WaitForExit(60_000), "the relay fault should have killed the service");
            }

            using (await ServiceProcess.StartAsync(stack, schema, "None"))
            {
                var until = DateTime.UtcNow.AddSeconds(60);
                while (Deliveries() < expectedDeliveries && DateTime.UtcNow < until) await Task.Delay(100);
                await Task.Delay(1000); // any further (unexpected) redelivery would show here
            }

            Assert.Equal(expectedDeliveries, Deliveries());
            await using var query = consumerStore.QuerySession();
            Assert.Equal(1, await query.Query<ProbeEffect>().CountAsync(e => e.CrisisId == crisisId));
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private async Task<string> CrisisOfRequestAsync(string schema, string requestId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(stack.Infra.Postgres);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"select stream_id from {schema}.mt_events where causation_id = @request", connection);
        command.Parameters.AddWithValue("request", requestId);
        return (string?)await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"no event of request {requestId}");
    }

    private sealed class ServiceProcess : IDisposable
    {
        private ServiceProcess(Process process, ServiceEndpoint service)
        {
            Process = process;
            Service = service;
        }

        public Process Process { get; }

        public ServiceEndpoint Service { get; }

        public static async Task<ServiceProcess> StartAsync(StackFixture stack, string schema, string fault)
        {
            var port = FreePort();
            var info = new ProcessStartInfo("dotnet", [ServiceDll()])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var (key, value) in TestSettings.For(stack.Infra, stack.Tokens, schema))
                info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            info.Environment["Relay__Fault"] = fault;
            info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
            info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            var process = Process.Start(info)!;
            var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var until = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < until && !process.HasExited)
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port);
                    return new ServiceProcess(process, new ServiceEndpoint($"http://127.0.0.1:{port}"));
                }
                catch (SocketException)
                {
                    await Task.Delay(200);
                }
            }

            process.Kill(true);
            throw new InvalidOperationException($"the service process did not start listening on {port}:\n{string.Join('\n', output.TakeLast(30))}");
        }

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(true);
            Process.WaitForExit(10_000);
            Process.Dispose();
            Service.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private static string ServiceDll()
        {
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0
            return Repository.File(Path.Combine("services", "Declaration", "CrisisOps.Declaration", "bin", configuration, "net10.0", "CrisisOps.Declaration.dll"));
        }
    }
}
