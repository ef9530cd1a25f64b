using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Telemetry;
using Marten;
using Microsoft.Extensions.Configuration;
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

    /// <summary>
    /// Whether <see cref="HandleEachAsync"/> acts on many deadlines in one transaction: the worker then hands this
    /// handler due deadlines in batches of up to <see cref="DeadlineOptions.BatchSize"/>, otherwise one at a time.
    /// </summary>
    bool ActsInBatches => false;

    /// <summary>
    /// Acts on several due deadlines of this kind, each as <see cref="HandleAsync"/> would; one that fails holds up
    /// none of the others. By default one after another.
    /// </summary>
    /// <returns>Per deadline, in the order given: null when acted on, otherwise why it failed (it is tried again with back-off).</returns>
    Task<IReadOnlyList<Exception?>> HandleEachAsync(IReadOnlyList<Deadline> deadlines, CancellationToken ct) => OneByOneAsync(this, deadlines, ct);

    /// <summary>Acts on each deadline by itself (<see cref="HandleAsync"/>), one after another; one that fails holds up none of the others.</summary>
    /// <returns>As <see cref="HandleEachAsync"/>.</returns>
    static async Task<IReadOnlyList<Exception?>> OneByOneAsync(IDeadlineHandler handler, IReadOnlyList<Deadline> deadlines, CancellationToken ct)
    {
        var failures = new Exception?[deadlines.Count];
        for (var i = 0; i < deadlines.Count; i++)
        {
            try
            {
                await handler.HandleAsync(deadlines[i], ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                failures[i] = ex;
            }
        }

        return failures;
    }
}

/// <summary>Deadline polling settings (<c>Deadlines</c> configuration section).</summary>
public sealed class DeadlineOptions
{
    /// <summary>
    /// How often due deadlines are looked for even when none is known to fall due (real time): the fallback for a
    /// deadline written by another instance of the service. Between polls the worker wakes at the earliest deadline
    /// it knows of (<see cref="DeadlineWakeup"/>).
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many due deadlines (or batches of them) are acted on at once. Each holds one connection of the service's pool while it decides
    /// (<see cref="ConnectionBudget.MaxPoolSize"/>, 10): four leave the rest to the calls, the consumers and the async
    /// daemon. Capped at half the pool.
    /// </summary>
    public int Parallelism { get; set; } = 4;

    /// <summary>
    /// The most deadlines of one kind a batching handler (<see cref="IDeadlineHandler.ActsInBatches"/>) acts on in one
    /// transaction. Due deadlines are shared out over <see cref="Parallelism"/> batches, each at most this size.
    /// </summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>How long after its first failure a deadline is tried again; each further failure doubles it.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two attempts on a failing deadline.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long one handler call (one deadline, or one batch) may take before its attempt counts as failed (a hung
    /// handler blocks nothing).
    /// </summary>
    public TimeSpan HandlerTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>A due deadline whose handler failed, and when it is tried again.</summary>
/// <param name="DueAt">The deadline as it was when it failed (a decision that moves it starts it afresh).</param>
/// <param name="Attempts">Failed attempts so far.</param>
/// <param name="RetryAt">When it is next tried ("now" of the service's <see cref="TimeProvider"/>).</param>
/// <param name="Error">The last failure, in one line.</param>
public sealed record FailingDeadline(DateTimeOffset DueAt, int Attempts, DateTimeOffset RetryAt, string Error);

/// <summary>
/// Durable deadlines without a delayed-message plugin: deadlines are documents written with the decision
/// that set them, and this worker acts on every due one: at start-up first, so a deadline that passed while
/// the service was down is acted on at once, then at the moment the earliest pending deadline falls due (re-armed when a
/// decision writes an earlier one, <see cref="DeadlineWakeup"/>), and at the latest on each poll. Due deadlines are acted
/// on in <see cref="DeadlineOptions.Parallelism"/> parallel slots, read after read until none is left: one deadline per
/// slot, or, for a handler that acts in batches (legal ends: <see cref="LegalEndHandler{TState}"/>), up to
/// <see cref="DeadlineOptions.BatchSize"/> of one kind per slot and transaction, so thousands falling due at one instant
/// keep up. "Now" comes from <see cref="TimeProvider"/>.
/// A deadline whose handler fails (or hangs past <see cref="DeadlineOptions.HandlerTimeout"/>) never holds up the
/// others: it is logged, counted (<c>crisisops.deadlines.failures</c>), and tried again with exponential back-off,
/// while every other due deadline is acted on in the same pass.
/// </summary>
public sealed partial class DeadlineWorker(
    IDocumentStore store,
    IEnumerable<IDeadlineHandler> handlers,
    TimeProvider clock,
    IOptions<DeadlineOptions> options,
    ILogger<DeadlineWorker> logger,
    IMeterFactory meters,
    DeadlineWakeup wakeup) : BackgroundService
{
    /// <summary>The meter of the deadline metrics.</summary>
    public const string MeterName = "CrisisOps.Deadlines";

    /// <summary>The fewest due deadlines read at once (more when the batches of one read hold more).</summary>
    private const int MinimumRead = 500;

    private static readonly TimeSpan ClockCheck = TimeSpan.FromMilliseconds(250);

    private readonly Dictionary<string, IDeadlineHandler> _handlers = handlers.ToDictionary(h => h.Kind);
    private readonly ConcurrentDictionary<string, FailingDeadline> _failing = new();
    private readonly Counter<long> _failures = meters.Create(MeterName).CreateCounter<long>("crisisops.deadlines.failures", "{failure}",
        "Failed attempts to act on a due deadline (each is retried with back-off)");
    private readonly Counter<long> _acted = meters.Create(MeterName).CreateCounter<long>("crisisops.deadlines.acted", "{deadline}",
        "Due deadlines acted on");

    /// <summary>The due deadlines that failed and are waiting for their next attempt, by deadline id.</summary>
    public IReadOnlyDictionary<string, FailingDeadline> Failing => _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var polled = Stopwatch.GetTimestamp();
            try
            {
                // A full batch means more may be due already: the next one at once, without waiting.
                if ((await ActOnNextBatchAsync(stoppingToken)).Full) continue;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPollFailed(logger, ex);
            }

            await WaitForNextLookAsync(polled, stoppingToken);
        }
    }

    /// <summary>
    /// Waits until the next look (<see cref="DeadlineWakeup.NextLook"/>) is due by the service's clock, or the poll
    /// interval since <paramref name="polled"/> has passed. The clock is read again at least every
    /// <see cref="ClockCheck"/>: "now" comes from a <see cref="TimeProvider"/>, which may be set forward (a corrected
    /// system clock, the tests' clocks) while a timer runs in real time.
    /// </summary>
    private async Task WaitForNextLookAsync(long polled, CancellationToken ct)
    {
        while (true)
        {
            var untilPoll = options.Value.PollInterval - Stopwatch.GetElapsedTime(polled);
            if (untilPoll <= TimeSpan.Zero) return;
            var wait = untilPoll < ClockCheck ? untilPoll : ClockCheck;
            if (wakeup.NextLook is { } next)
            {
                var untilDue = next - clock.GetUtcNow();
                if (untilDue <= TimeSpan.Zero) return;
                // One millisecond past the deadline: a timer may fire a little early, and the deadline is not due before it.
                if (untilDue < wait) wait = untilDue + TimeSpan.FromMilliseconds(1);
            }

            await wakeup.WaitAsync(wait, ct);
        }
    }

    /// <summary>
    /// Acts on every deadline due at the current time, except those backing off (one read: at most 500, or
    /// <see cref="DeadlineOptions.Parallelism"/> × <see cref="DeadlineOptions.BatchSize"/> when that is more). Returns how
    /// many were attempted.
    /// </summary>
    public async Task<int> ActOnDueDeadlinesAsync(CancellationToken ct) => (await ActOnNextBatchAsync(ct)).Attempted;

    private int ReadSize => Math.Max(MinimumRead, options.Value.Parallelism * Math.Max(1, options.Value.BatchSize));

    private async Task<(int Attempted, bool Full)> ActOnNextBatchAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var readSize = ReadSize;
        wakeup.BeginRead();
        IReadOnlyList<Deadline> due;
        DateTimeOffset? nextDue;
        await using (var query = store.QuerySession())
        {
            var batch = query.CreateBatchQuery();
            // Backing-off deadlines are read and skipped here, so that however many fail, a batch still holds others.
            var dueQuery = batch.Query<Deadline>().Where(d => d.DueAt <= now).OrderBy(d => d.DueAt).Take(readSize + _failing.Count).ToList();
            var laterQuery = batch.Query<Deadline>().Where(d => d.DueAt > now).OrderBy(d => d.DueAt).Take(1).ToList();
            await batch.Execute(ct);
            due = await dueQuery;
            var later = await laterQuery;
            nextDue = later.Count > 0 ? later[0].DueAt : null;
        }

        var acting = new List<(Deadline Deadline, FailingDeadline? Failing)>();
        foreach (var deadline in due)
        {
            if (_failing.TryGetValue(deadline.Id, out var failing) && failing.DueAt == deadline.DueAt && failing.RetryAt > now) continue;
            if (acting.Count == readSize) break;
            acting.Add((deadline, failing?.DueAt == deadline.DueAt ? failing : null));
        }

        // Each batch holds one connection while it decides: at most Parallelism at once, within the pool's budget.
        await Parallel.ForEachAsync(Batches(acting), new ParallelOptions { MaxDegreeOfParallelism = options.Value.Parallelism, CancellationToken = ct },
            (b, token) => new ValueTask(ActOnAsync(b, now, token)));

        // A deadline that is no longer due (moved or removed by a decision) stops backing off.
        foreach (var id in _failing.Keys.Except(due.Select(d => d.Id))) _failing.TryRemove(id, out _);
        var retry = _failing.Values.Select(f => (DateTimeOffset?)f.RetryAt).Min();
        wakeup.Arm(retry is { } r && (nextDue is null || r < nextDue) ? r : nextDue);
        return (acting.Count, acting.Count == readSize);
    }

    /// <summary>
    /// The due deadlines grouped by kind, in order of due time; for a handler that acts in batches, shared out evenly
    /// over the parallel slots (no batch above <see cref="DeadlineOptions.BatchSize"/>), otherwise one deadline each.
    /// </summary>
    private IEnumerable<IReadOnlyList<(Deadline Deadline, FailingDeadline? Failing)>> Batches(List<(Deadline Deadline, FailingDeadline? Failing)> acting)
    {
        foreach (var kind in acting.GroupBy(d => d.Deadline.Kind, StringComparer.Ordinal))
        {
            var ofKind = kind.ToList();
            var batching = _handlers.GetValueOrDefault(kind.Key)?.ActsInBatches == true;
            var size = batching
                ? Math.Clamp((ofKind.Count + options.Value.Parallelism - 1) / options.Value.Parallelism, 1, Math.Max(1, options.Value.BatchSize))
                : 1;
            foreach (var chunk in ofKind.Chunk(size)) yield return chunk;
        }
    }

    private async Task ActOnAsync(IReadOnlyList<(Deadline Deadline, FailingDeadline? Failing)> batch, DateTimeOffset now, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.HandlerTimeout);
        var kind = batch[0].Deadline.Kind;
        IReadOnlyList<Exception?> failures;
        try
        {
            var handler = _handlers.GetValueOrDefault(kind)
                ?? throw new InvalidOperationException($"no handler for deadline kind {kind}");
            // A legal end acted on is a decision: its own trace (a timer firing, hence Consumer), kept by the sampler. One
            // trace for a batch: its decisions share one transaction, so the trace parent stamped on their events is one.
            using var activity = DecisionTraceSampler.Deadlines.StartActivity($"deadline {kind}", ActivityKind.Consumer);
            if (batch.Count == 1) activity?.SetTag("crisisops.deadline", batch[0].Deadline.Id);
            else activity?.SetTag("crisisops.deadlines", batch.Count);
            foreach (var (deadline, _) in batch)
            {
                LogActing(logger, deadline.Id, deadline.DueAt, now);
                DecisionTelemetry.DeadlineActedOn(deadline.DueAt, now);
            }

            failures = await handler.HandleEachAsync(batch.Select(d => d.Deadline).ToList(), timeout.Token);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            failures = [.. batch.Select(_ => ex)];
        }

        for (var i = 0; i < batch.Count; i++)
        {
            var (deadline, failing) = batch[i];
            if (failures[i] is not { } failure)
            {
                _failing.TryRemove(deadline.Id, out _);
                _acted.Add(1, new KeyValuePair<string, object?>("deadline.kind", deadline.Kind));
                continue;
            }

            var attempts = (failing?.Attempts ?? 0) + 1;
            var delay = TimeSpan.FromTicks(Math.Min(options.Value.MaxRetryDelay.Ticks,
                options.Value.FirstRetryDelay.Ticks * (1L << Math.Min(attempts - 1, 30))));
            var next = new FailingDeadline(deadline.DueAt, attempts, now + delay, $"{failure.GetType().Name}: {failure.Message}");
            _failing[deadline.Id] = next;
            _failures.Add(1, new KeyValuePair<string, object?>("deadline.kind", deadline.Kind));
            LogFailed(logger, failure, deadline.Id, deadline.DueAt, attempts, next.RetryAt);
        }
    }

    // One line per deadline: thousands of measures may fall due in the same minute. The crisisops.deadline.lag metric and
    // the deadline's trace (DecisionTraceSampler) say the same at any log level.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Deadline {Id} due at {DueAt:O} acted on at {Now:O}")]
    private static partial void LogActing(ILogger logger, string id, DateTimeOffset dueAt, DateTimeOffset now);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deadline {Id} due at {DueAt:O} failed (attempt {Attempts}); the others go on, it is tried again at {RetryAt:O}")]
    private static partial void LogFailed(ILogger logger, Exception ex, string id, DateTimeOffset dueAt, int attempts, DateTimeOffset retryAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading due deadlines failed; retrying at the next poll")]
    private static partial void LogPollFailed(ILogger logger, Exception ex);
}

/// <summary>Registration of durable deadlines.</summary>
public static class DeadlineRegistration
{
    /// <summary>Adds the worker (once) and a handler.</summary>
    public static IServiceCollection AddDeadlineHandler<THandler>(this IServiceCollection services)
        where THandler : class, IDeadlineHandler
    {
        services.AddSingleton<IDeadlineHandler, THandler>();
        if (services.All(s => s.ImplementationType != typeof(DeadlineWorker)))
        {
            services.AddOptions<DeadlineOptions>().BindConfiguration("Deadlines").PostConfigure<IConfiguration>((o, configuration) =>
            {
                var budget = configuration.GetSection(ConnectionBudget.Section).Get<ConnectionBudget>() ?? new ConnectionBudget();
                o.Parallelism = Math.Clamp(o.Parallelism, 1, Math.Max(1, budget.MaxPoolSize / 2));
            });
            services.AddSingleton<DeadlineWakeup>();
            services.AddSingleton<IConfigureMarten>(sp => new DeadlineWakeupListener(sp.GetRequiredService<DeadlineWakeup>()));
            services.AddSingleton<DeadlineWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<DeadlineWorker>());
        }

        return services;
    }
}

/// <summary>Adds the <see cref="DeadlineWakeup"/> to the store's session listeners.</summary>
internal sealed class DeadlineWakeupListener(DeadlineWakeup wakeup) : IConfigureMarten
{
    public void Configure(IServiceProvider services, StoreOptions options) => options.Listeners.Add(wakeup);
}
