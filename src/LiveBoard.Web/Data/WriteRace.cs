using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Data;

/// <summary>
/// The database refused a write because another writer (another instance, on PostgreSQL) got there first: a row's
/// version moved after it was read, or a row with the same key (a first value, an idempotency key) was inserted
/// meanwhile. Nothing was committed; the same request, read again, is decided against what the other writer committed.
/// On SQLite writers queue for the file's one write lock, so this does not happen there.
/// </summary>
public static class WriteRace
{
    private const string UniqueViolation = "23505", SerializationFailure = "40001", DeadlockDetected = "40P01";

    /// <summary>How often a request that lost is read and tried again before its error stands.</summary>
    public const int MaxAttempts = 5;

    // Set by RetryAsync for each attempt it would run again after a lost race (all but the last).
    private static readonly AsyncLocal<bool> Retrying = new();

    /// <summary>True inside a write that <see cref="RetryAsync{T}"/> runs again if it loses a race: such a loss is handled, not an error.</summary>
    public static bool Handled => Retrying.Value;

    public static bool Lost(Exception ex) =>
        ex is DbUpdateConcurrencyException
        || ex is DbException { SqlState: UniqueViolation or SerializationFailure or DeadlockDetected }
        || ex.InnerException is { } inner && Lost(inner);

    /// <summary>
    /// Runs a write (its own DbContext and transaction each time) and, when it lost to another writer, runs it again:
    /// the next attempt reads what the winner committed and is decided against that (a repeat, a conflict, or a write on top).
    /// </summary>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        for (var attempt = 1; ; attempt++)
        {
            // Flows into the write (and EF's logging of its failure) only: an async method's AsyncLocal changes end with it.
            Retrying.Value = attempt < MaxAttempts;
            try
            {
                return await write();
            }
            catch (Exception ex) when (Lost(ex) && attempt < MaxAttempts)
            {
                // Lost the race: nothing of this attempt was committed; read again.
            }
        }
    }
}
