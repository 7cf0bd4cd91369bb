using LiveBoard.Web.Data;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace LiveBoard.Web.Features.Accounts;

/// <summary>
/// The idle timeout for open pages. The sign-in cookie slides with HTTP requests only, while an interactive page
/// talks over its circuit; so each signed-in circuit notes the user's last input, and after
/// LiveBoard:IdleTimeoutMinutes without any it sends the browser to the sign-out address. Anonymous circuits
/// (the public overview on wall displays) are never touched.
/// </summary>
public sealed class IdleSignOut(NavigationManager nav, AuthenticationStateProvider auth, TimeProvider clock, IConfiguration configuration)
    : CircuitHandler, IDisposable
{
    public const string Path = "/account/idle";

    private readonly TimeSpan _timeout = TimeSpan.FromMinutes(configuration.GetValue("LiveBoard:IdleTimeoutMinutes", 30d));
    private long _lastInputTicks = clock.GetUtcNow().UtcTicks;
    private ITimer? _timer;
    private int _done;

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        context =>
        {
            Interlocked.Exchange(ref _lastInputTicks, clock.GetUtcNow().UtcTicks);
            return next(context);
        };

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        // Check a few times per timeout period, at least twice a minute for long ones.
        var every = TimeSpan.FromTicks(Math.Min(_timeout.Ticks / 4, TimeSpan.FromSeconds(30).Ticks));
        _timer = clock.CreateTimer(_ => _ = CheckAsync(), null, every, every);
        return Task.CompletedTask;
    }

    private async Task CheckAsync()
    {
        var idle = clock.GetUtcNow() - new DateTimeOffset(Interlocked.Read(ref _lastInputTicks), TimeSpan.Zero);
        if (idle < _timeout || Volatile.Read(ref _done) == 1) return;
        var user = (await auth.GetAuthenticationStateAsync()).User;
        if (user.Identity?.IsAuthenticated != true || Interlocked.Exchange(ref _done, 1) == 1) return;
        nav.NavigateTo(Path, forceLoad: true);
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();
}
