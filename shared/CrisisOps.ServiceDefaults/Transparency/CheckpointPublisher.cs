using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrisisOps.ServiceDefaults.Transparency;

/// <summary>Signs a checkpoint at a fixed interval (<see cref="TransparencyOptions.CheckpointInterval"/>) whenever the log has grown.</summary>
public sealed partial class CheckpointPublisher(CheckpointLog log, IOptions<TransparencyOptions> options, ILogger<CheckpointPublisher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (log.Verifier is null) return;
        // Real time, not the service's clock: tests move that clock by months, and the interval is about the wall.
        using var timer = new PeriodicTimer(options.Value.CheckpointInterval);
        do
        {
            try
            {
                var signed = await log.LatestAsync(refresh: true, stoppingToken);
                Published(logger, log.Origin, signed.Checkpoint.Size);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Failed(logger, log.Origin, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "checkpoint of {Origin} at size {Size}")]
    private static partial void Published(ILogger logger, string origin, long size);

    [LoggerMessage(Level = LogLevel.Error, Message = "could not sign a checkpoint of {Origin}")]
    private static partial void Failed(ILogger logger, string origin, Exception ex);
}
