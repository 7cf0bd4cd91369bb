using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LiveBoard.Web.Data;

/// <summary>
/// EF Core logs every failed command and every failed SaveChanges at Error before the caller sees the exception, and
/// cannot be told per command that the caller handles it. A write that lost a race to another instance (a unique index or
/// a version check refused it, see <see cref="WriteRace"/>) is handled: it is read again and answered as a conflict, a
/// repeat or a write on top. Logged at Error, each such race would show in the error log as if something had broken. So
/// EF's two events are lowered to Debug (<see cref="Configure"/>) and this interceptor, which sees the same failures,
/// logs them again under EF's own categories: at Debug a race that <see cref="WriteRace.RetryAsync{T}"/> will run again,
/// at Error everything else (a race on the last attempt, or outside the retry loop, included).
/// </summary>
public sealed partial class RaceAwareErrorLogging(ILoggerFactory loggers) : DbCommandInterceptor, ISaveChangesInterceptor
{
    private readonly ILogger _commands = loggers.CreateLogger(DbLoggerCategory.Database.Command.Name);
    private readonly ILogger _updates = loggers.CreateLogger(DbLoggerCategory.Update.Name);
    private long _handledRaces;

    /// <summary>Failures since start that were races handled by a retry (logged at Debug, not Error).</summary>
    public long HandledRaces => Interlocked.Read(ref _handledRaces);

    /// <summary>Lowers EF's own Error events for failed commands and saves; add this interceptor beside it.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, RaceAwareErrorLogging interceptor) =>
        options.ConfigureWarnings(w => w.Log((RelationalEventId.CommandError, LogLevel.Debug), (CoreEventId.SaveChangesFailed, LogLevel.Debug)))
            .AddInterceptors(interceptor);

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Log(_commands, eventData, eventData.Exception);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Log(_commands, eventData, eventData.Exception);
        return Task.CompletedTask;
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Log(_updates, eventData, eventData.Exception);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesFailed(eventData);
        return Task.CompletedTask;
    }

    private void Log(ILogger logger, EventData eventData, Exception exception)
    {
        // EventData's text (ToString, when written) is the message EF would have logged: the command and its parameters, or the context type.
        if (WriteRace.Handled && WriteRace.Lost(exception))
        {
            Interlocked.Increment(ref _handledRaces);
            LogHandledRace(logger, eventData.EventId.Name, eventData);
        }
        else LogFailure(logger, eventData.EventId.Name, exception, eventData);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Event}: lost a race to another writer; the write is read again and retried: {Message}")]
    private static partial void LogHandledRace(ILogger logger, string? @event, EventData message);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Event}: {Message}")]
    private static partial void LogFailure(ILogger logger, string? @event, Exception exception, EventData message);
}
