using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using LiveBoard.Web.Features.Accounts;
using Microsoft.Extensions.Configuration;

namespace LiveBoard.Testing;

/// <summary>Real HTTP clients against a running <see cref="LiveBoardHost"/>: a browser-like cookie client and an API client.</summary>
public static partial class SignedInClients
{
    public static string DemoPassword(LiveBoardHost host) => DemoAccounts.Password(host.Service<IConfiguration>());

    /// <summary>A client that keeps cookies and does not follow redirects, so tests see each status code.</summary>
    public static HttpClient Anonymous(Uri root) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = root };

    /// <summary>Posts the login form as a browser does (antiforgery token from the page); returns the response.</summary>
    /// <summary>Like <see cref="Anonymous"/>, but its connections leave from <paramref name="local"/> (see <see cref="ClientAddresses"/>).</summary>
    public static HttpClient FromAddress(Uri root, string local) =>
        new(ClientAddresses.Handler(local, new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true }))
        { BaseAddress = root };

    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string user, string password, string returnUrl = "/")
    {
        var page = await client.GetStringAsync("/account/login");
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token), ["userName"] = user, ["password"] = password, ["returnUrl"] = returnUrl,
        }));
    }

    public static async Task<HttpClient> WebAsync(LiveBoardHost host, Uri root, string user)
    {
        var client = Anonymous(root);
        var response = await PostLoginAsync(client, user, DemoPassword(host));
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.ToString() != "/")
            throw new InvalidOperationException($"login as {user} failed: {(int)response.StatusCode} {response.Headers.Location}");
        return client;
    }

    public static async Task<HttpResponseMessage> RequestTokenAsync(HttpClient client, string user, string password) =>
        await client.PostAsJsonAsync("/api/v1/auth/token", new { username = user, password });

    /// <summary>A bearer-token API client for a demo account.</summary>
    public static Task<HttpClient> ApiAsync(LiveBoardHost host, Uri root, string user, string? local = null) =>
        ApiClients.SignedInAsync(root, user, DemoPassword(host), local);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
