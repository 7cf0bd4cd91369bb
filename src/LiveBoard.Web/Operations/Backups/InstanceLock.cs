namespace LiveBoard.Web.Operations.Backups;

/// <summary>
/// "An instance is using this database", as an operating-system lock on <c>&lt;database&gt;.instance</c>: every running
/// instance holds it shared; a restore needs it exclusive. The OS drops the lock when a process dies, so a crashed
/// instance never blocks a restore, and a lock file left behind means nothing.
/// </summary>
public static class InstanceLock
{
    public static string LockFile(string database) => database + ".instance";

    /// <summary>Taken by a running instance for its lifetime; throws when a restore is putting the file in place.</summary>
    public static IDisposable TakeShared(string database)
    {
        try
        {
            // .NET maps FileShare.ReadWrite to a shared flock on Unix (a share mode on Windows): instances coexist.
            return new FileStream(LockFile(database), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"{database} is being restored; start LiveBoard again when the restore has finished.", e);
        }
    }

    /// <summary>The exclusive lock, or null while any instance holds the shared one.</summary>
    public static IDisposable? TryTakeExclusive(string database)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(database)!);
            return new FileStream(LockFile(database), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
