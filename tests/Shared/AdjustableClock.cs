namespace LiveBoard.Testing;

/// <summary>
/// The real clock moved by <see cref="Offset"/>, in a server whose own zone is UTC: lets a test put the app at a chosen
/// time of day (20:00 UTC, or just before midnight in Beijing) while time still passes and timers still fire.
/// </summary>
public sealed class AdjustableClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Moves the clock so that it reads <paramref name="utc"/> now.</summary>
    public void Set(DateTimeOffset utc) => Offset = utc - System.GetUtcNow();
}
