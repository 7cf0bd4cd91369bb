namespace LiveBoard.Web.Data;

/// <summary>
/// An event that is not a figure change (figure changes are <see cref="LiveBoard.Core.Figures.FigureRevision"/> rows):
/// sign-ins, failed sign-ins, lockouts, sign-outs, tokens, and organisers' changes to accounts. Rows are only ever appended.
/// </summary>
public sealed class AuditEvent
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Kind { get; set; }
    /// <summary>The user name given or signed in; may name no account when a sign-in failed.</summary>
    public string UserName { get; set; } = "";
    public required string Channel { get; set; }
    /// <summary>What happened, often the JSON of old and new values; cut to <see cref="DetailLength"/> characters.</summary>
    public string Detail { get; set; } = "";
    public const int DetailLength = 2000;
    public string? RequestId { get; set; }
    public string? RemoteAddress { get; set; }
}

public static class AuditKinds
{
    public const string LoginSucceeded = "login-succeeded";
    public const string LoginFailed = "login-failed";
    public const string LockedOut = "locked-out";
    public const string WriteRefused = "write-refused";
    /// <summary>Refused requests from one address in one minute, counted (<see cref="RefusedAttempts"/>).</summary>
    public const string Refused = "refused";
    public const string Logout = "logout";
    public const string IdleTimeout = "idle-timeout";
    public const string TokenIssued = "token-issued";
    public const string UserCreated = "user-created";
    public const string UserDisabled = "user-disabled";
    public const string UserEnabled = "user-enabled";
    public const string PasswordReset = "password-reset";
    public const string UserUnlocked = "user-unlocked";
    public const string ObserverGroupChanged = "observer-group-changed";
}
