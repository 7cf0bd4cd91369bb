using Microsoft.Playwright;

namespace LiveBoard.Browser.Tests;

/// <summary>
/// One headless Debian Chromium for the test run, driven by Playwright. Never downloads a browser:
/// the test command installs Debian's chromium-headless-shell package.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>
    /// Debian's headless shell: the same Chromium (same Blink, V8 and fonts) without the desktop browser's own process
    /// work, which took about a third of the browser tests' CPU on two cores. LIVEBOARD_TEST_CHROMIUM=/usr/bin/chromium
    /// runs the tests on the full browser instead.
    /// </summary>
    public static readonly string ChromiumPath = Environment.GetEnvironmentVariable("LIVEBOARD_TEST_CHROMIUM") is { Length: > 0 } path
        ? path : "/usr/bin/chromium-headless-shell";

    private IPlaywright? _playwright;
    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: run the README's test command, which installs Debian's chromium-headless-shell.");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // This machine's network is closed: without these Chromium keeps trying to reach Google.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-quic", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }

    public static string ScreenshotPath(string name)
    {
        var dir = Path.Combine(LiveBoard.Testing.TempPaths.RepoRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }
}

/// <summary>
/// A browser test: its class shares its collection's Chromium with the tests before and after it. Whatever context a
/// test left open is closed when it ends: a page whose server the test has stopped keeps reconnecting, with its
/// reconnect animation, until the browser closes — in one run three such pages took 33 CPU-s of renderers (and more
/// of the compositor) from the tests after them.
/// </summary>
public abstract class BrowserTest(BrowserFixture fixture) : IAsyncLifetime
{
    protected IBrowser Browser => fixture.Browser;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // A collection runs its tests one after another: every context on its browser now is this test's.
        foreach (var context in fixture.Browser.Contexts.ToList()) await context.CloseAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SharedBrowser : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

/// <summary>
/// A second Chromium, for the page walk (every page at every size and language, under the content security policy),
/// the campaign set-up, the menu and the heatmap: xunit runs this collection beside <see cref="SharedBrowser"/>, since
/// each leaves much of two cores idle while it waits on pages and timers. The two are kept about as long (walks 248 s,
/// the shared browser 254 s of test time in the 12-02 run), so that neither runs on alone at the end of the suite.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WalkingBrowser : ICollectionFixture<BrowserFixture>
{
    public const string Name = "walks";
}
