namespace LiveBoard.Web.Operations;

/// <summary>
/// runtime.env, shipped beside LiveBoard.Web.dll: the .NET runtime's settings LiveBoard is measured and deployed with
/// (the garbage collector's). The runtime reads them from the environment before any of LiveBoard's code runs, so the
/// service unit loads the file (docs/deploy.md) and LiveBoard can only check that it did. The bench links this file
/// to start its servers as the unit does.
/// </summary>
public static class RuntimeSettings
{
    public const string FileName = "runtime.env";

    /// <summary>The file's KEY=value lines (blank lines and # comments skipped), in order; none when there is no file.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return [];
        return [.. File.ReadLines(path)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2 && parts[0].Trim().Length > 0)
            .Select(parts => KeyValuePair.Create(parts[0].Trim(), parts[1].Trim()))];
    }

    /// <summary>The file's settings this process was started without (absent, or another value): the unit did not load it.</summary>
    public static IReadOnlyList<string> NotApplied(string folder) =>
        [.. Read(folder).Where(s => Environment.GetEnvironmentVariable(s.Key) is not { } value || value != s.Value).Select(s => s.Key)];
}
