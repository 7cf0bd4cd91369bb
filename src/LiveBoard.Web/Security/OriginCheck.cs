namespace LiveBoard.Web.Security;

/// <summary>
/// The live connections (/_blazor for pages, /hubs/live for the public hub) accept a browser only from this site's own
/// origin or one listed in <c>LiveBoard:AllowedOrigins</c>: otherwise any web page could open live sessions from its
/// visitors' browsers. Refused with 403 before a circuit or hub connection exists. A request without an Origin header
/// is no browser page's doing (LED controllers, scripts) and passes; the hub still asks those for a key or token.
/// </summary>
public sealed partial class OriginCheck(IConfiguration config, ILogger<OriginCheck> log)
{
    public static readonly string[] LivePaths = ["/_blazor", "/hubs/live"];

    private readonly HashSet<string> _allowed = new(
        (config.GetSection("LiveBoard:AllowedOrigins").Get<string[]>() ?? []).Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);

    public static bool IsLive(PathString path) => LivePaths.Any(p => path.StartsWithSegments(p));

    /// <summary>True when the request may go on; false when it names an origin that is neither ours nor listed.</summary>
    public bool Allows(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return true;
        // Behind the HTTPS proxy of docs/deploy.md the request arrives as http: the page's origin is the proxy's scheme
        // (X-Forwarded-Proto). A web page cannot set that header on a browser's WebSocket or negotiate request, so
        // honouring it opens nothing to other sites.
        var forwarded = request.Headers["X-Forwarded-Proto"].ToString();
        var scheme = forwarded is "http" or "https" ? forwarded : request.Scheme;
        if (string.Equals(origin, $"{scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase)
            || string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase)
            || _allowed.Contains(origin)) return true;
        Refused(log, request.Path, origin, request.HttpContext.Connection.RemoteIpAddress?.ToString());
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a live connection to {Path} from origin {Origin} ({Address})")]
    private static partial void Refused(ILogger log, string path, string origin, string? address);
}
