using Microsoft.Extensions.Logging;

namespace LiveBoard.Testing;

/// <summary>
/// The errors every test server logs (an unhandled exception behind a 500, a failed background job), appended to
/// artifacts/test-logs/errors.log with the test database they happened on: a test that meets a 500 only says so, and the
/// cause is otherwise lost with the server. scripts/test.sh prints the file when a run fails.
/// </summary>
public sealed class ErrorLog(string database) : ILoggerProvider
{
    private static readonly Lock Gate = new();
    private static readonly string File = Path.Combine(TempPaths.RepoRoot(), "artifacts", "test-logs", "errors.log");

    private static readonly System.Collections.Concurrent.ConcurrentQueue<(string Database, string Entry)> Logged = new();

    public ILogger CreateLogger(string categoryName) => new Writer(database, categoryName);

    /// <summary>What the servers on this test database logged at Error or above so far (each entry as written to the file).</summary>
    public static IReadOnlyList<string> EntriesFor(string database) =>
        Logged.Where(e => e.Database == Path.GetFileName(database)).Select(e => e.Entry).ToList();

    public void Dispose() { }

    private sealed class Writer(string database, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var entry = $"{DateTime.UtcNow:O} {logLevel} {category} [{Path.GetFileName(database)}]: {formatter(state, exception)}\n{exception}\n\n";
            Logged.Enqueue((Path.GetFileName(database), entry));
            lock (Gate)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(File)!);
                System.IO.File.AppendAllText(File, entry);
            }
        }
    }
}
