using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Telemetry;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrisisOps.ServiceDefaults.Deadlines;

/// <summary>Acts on one kind of legal deadline (e.g. the end of an emergency).</summary>
public interface IDeadlineHandler
{
    /// <summary>The deadline kind handled.</summary>
    string Kind { get; }

    /// <summary>
    /// Acts on a deadline that is due. The handler decides from the stream's current state (a deadline moved by
    /// an extension is simply not acted on) and stamps the decision with <see cref="Deadline.DueAt"/>.
    /// </summary>
    Task HandleAsync(Deadline deadline, CancellationToken ct);
}

/// <summary>Deadline polling settings (<c>Deadlines</c> configuration section).</summary>
public sealed class DeadlineOptions
{
    /// <summary>How often due deadlines are looked for (real time).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Durable deadlines without a delayed-message plugin: deadlines are documents written with the decision
/// that set them, and this worker acts on every due one: at start-up first, so a deadline that passed while
/// the service was down is acted on at once, and then on each poll. "Now" comes from <see cref="TimeProvider"/>.
/// </summary>
public sealed class DeadlineWorker(
    IDocumentStore store,
    IEnumerable<IDeadlineHandler> handlers,
    TimeProvider clock,
    IOptions<DeadlineOptions> options,
    ILogger<DeadlineWorker> logger) : BackgroundService
{
    private readonly Dictionary<string, IDeadlineHandler> _handlers = handlers.ToDictionary(h => h.Kind);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval);
        do
        {
            try
            {
                await ActOnDueDeadlinesAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Acting on due deadlines failed; retrying at the next poll");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Acts on every deadline due at the current time. Returns how many were handled.</summary>
    public async Task<int> ActOnDueDeadlinesAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        IReadOnlyList<Deadline> due;
        await using (var query = store.QuerySession())
        {
            due = await query.Query<Deadline>().Where(d => d.DueAt <= now).OrderBy(d => d.DueAt).Take(500).ToListAsync(ct);
        }

        foreach (var deadline in due)
        {
            if (!_handlers.TryGetValue(deadline.Kind, out var handler))
            {
                logger.LogError("No handler for deadline kind {Kind} ({Id})", deadline.Kind, deadline.Id);
                continue;
            }

            logger.LogInformation("Deadline {Id} due at {DueAt:O} acted on at {Now:O}", deadline.Id, deadline.DueAt, now);
            // A legal end acted on is a decision: its own trace (a timer firing, hence Consumer), kept by the sampler.
            using var activity = DecisionTraceSampler.Deadlines.StartActivity($"deadline {deadline.Kind}", System.Diagnostics.ActivityKind.Consumer);
            activity?.SetTag("crisisops.deadline", deadline.Id);
            DecisionTelemetry.DeadlineActedOn(deadline.DueAt, now);
            await handler.HandleAsync(deadline, ct);
        }

        return due.Count;
    }
}

/// <summary>Registration of durable deadlines.</summary>
public static class DeadlineRegistration
{
    /// <summary>Adds the worker (once) and a handler.</summary>
    public static IServiceCollection AddDeadlineHandler<THandler>(this IServiceCollection services)
        where THandler : class, IDeadlineHandler
    {
        services.AddOptions<DeadlineOptions>().BindConfiguration("Deadlines");
        services.AddSingleton<IDeadlineHandler, THandler>();
        if (services.All(s => s.ImplementationType != typeof(DeadlineWorker)))
        {
            services.AddSingleton<DeadlineWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<DeadlineWorker>());
        }

        return services;
    }
}
