using LiveBoard.Core;
using LiveBoard.Core.Figures;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Hub;
using Microsoft.AspNetCore.SignalR;
using LiveBoard.Web.Live;

namespace LiveBoard.Web.Operations;

/// <summary>
/// One log line per write, with who and for which district: every POST/PUT/PATCH/DELETE request (its request id, user,
/// the user's district, status), and every accepted figure change from any channel (the report page writes through its
/// circuit, not through a request). Each request also opens a scope with RequestId, User and District, so every line
/// logged while serving it carries them (the JSON console shows scopes). Paths only, never query strings: a display
/// key travels as ?key=, a hub token as ?access_token=.
/// </summary>
public static partial class WriteLog
{
    public const string Category = "LiveBoard.Writes";

    public static void UseWriteLog(this WebApplication app)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        // Not around the live hub's own requests: its WebSocket lasts as long as the viewer, and this middleware's state,
        // the scope and the execution context carrying it were kept for that long (heap dumps: ~0.4 KB of each viewer's
        // connection). The hub opens the same scope around what it does (HubScope below); its negotiate is no write.
        app.Use((http, next) => LiveHub.Serves(http.Request) ? next(http) : ServeAsync(http, next, log));
    }

    private static async Task ServeAsync(HttpContext http, RequestDelegate next, ILogger log)
    {
        var request = new RequestScope(http);
        using (log.BeginScope(request))
        {
            try
            {
                await next(http);
            }
            finally
            {
                request.Complete();
            }
        }
        if (!IsWrite(http.Request.Method)) return;
        LogWrite(log, http.Request.Method, http.Request.Path.Value ?? "", http.Response.StatusCode, request.RequestId, request.User, request.District);
    }

    /// <summary>
    /// The request scope (RequestId, User, District) around the live hub's connect and disconnect, which is where it logs
    /// (reading the standings, a refusal): the same lines as any request's, with a screen's name for the user.
    /// Registered for the live hub only, not for Blazor's circuits.
    /// </summary>
    public sealed partial class HubScope(ILoggerFactory loggers) : IHubFilter
    {
        private readonly ILogger _log = loggers.CreateLogger(Category);

        public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
        {
            using var scope = Open(context.Context);
            try
            {
                await next(context);
            }
            // SignalR logs the failure after this scope has ended, so a refusal is said here too, while the scope names
            // whom. An exception filter runs before the stack unwinds (the scope still open) and, answering false, leaves
            // the exception to go on to SignalR untouched.
            catch (HubException e) when (SaidRefused(e))
            {
                throw; // not reached
            }
        }

        private bool SaidRefused(HubException e)
        {
            LogRefused(_log, e.Message);
            return false;
        }

        public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
        {
            using var scope = Open(context.Context);
            await next(context, exception);
        }

        private IDisposable? Open(HubCallerContext caller)
        {
            if (caller.GetHttpContext() is not { } http) return null;
            var request = new RequestScope(http);
            request.Complete(); // read now: a disconnect's HttpContext may already be recycled by the time a line is written
            return _log.BeginScope(request);
        }
    }

    /// <summary>
    /// After authentication, http.User is the cookie's user; an API request's bearer user is known only once its
    /// endpoint's policy has run, which is later. So the scope reads the user when a line is written, until the request
    /// is done; then it keeps what it read, because work the request started (and that inherited this scope) may log
    /// after the HttpContext has been recycled.
    /// </summary>
    private sealed class RequestScope(HttpContext http) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private HttpContext? _http = http;
        private string? _user;
        private string? _district;

        public string RequestId { get; } = http.TraceIdentifier;
        public string User => _http is { } h ? UserOf(h) : _user ?? "";
        public string District => _http is { } h ? DistrictOf(h) : _district ?? "";

        public void Complete()
        {
            (_user, _district) = (User, District);
            _http = null;
        }

        public int Count => 3;

        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("RequestId", RequestId),
            1 => new("User", User),
            2 => new("District", District),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++) yield return this[i];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"RequestId:{RequestId} User:{User} District:{District}";
    }

    private static string UserOf(HttpContext http) => http.User.Identity?.Name ?? "";

    private static string DistrictOf(HttpContext http) => http.User.FindFirst(LiveBoardClaims.District)?.Value ?? "";

    private static bool IsWrite(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    /// <summary>Logs each accepted figure change as it is announced on the feed.</summary>
    public sealed partial class FigureChanges(IChangeFeed feed, ILoggerFactory loggers) : IHostedService
    {
        private readonly ILogger _log = loggers.CreateLogger(Category);
        private IDisposable? _subscription;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            _subscription = feed.Subscribe(change =>
            {
                if (change is FigureChanged f)
                    LogFigure(_log, f.DistrictCode, f.IndicatorCode, f.OldValue, f.NewValue, f.Version, f.ChangedBy, f.Channel);
                return Task.CompletedTask;
            });
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            _subscription?.Dispose();
            return Task.CompletedTask;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live hub connection refused: {Reason}")]
    private static partial void LogRefused(ILogger log, string reason);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Write {Method} {Path} answered {Status} (request {RequestId}, user {User}, district {District})")]
    private static partial void LogWrite(ILogger log, string method, string path, int status, string requestId, string user, string district);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Figure {District}/{Indicator} changed {OldValue} -> {NewValue} (version {Version}) by {User} via {Channel}")]
    private static partial void LogFigure(ILogger log, string district, string indicator, decimal? oldValue, decimal newValue, int version,
        string user, string channel);
}
