namespace LiveBoard.Testing;

/// <summary>
/// A test of the scale-out tier: it needs the private PostgreSQL and Redis that scripts/test.sh starts
/// (scripts/scale-out-services.sh); run on its own without them it is skipped and says why.
/// </summary>
public sealed class ScaleOutFactAttribute : Xunit.FactAttribute
{
    public ScaleOutFactAttribute()
    {
        if (TestDatabase.PostgreSqlServer is null || TestDatabase.Redis is null)
            Skip = $"needs {TestDatabase.PostgreSqlVariable} and {TestDatabase.RedisVariable}: eval \"$(scripts/scale-out-services.sh start)\"";
    }
}
