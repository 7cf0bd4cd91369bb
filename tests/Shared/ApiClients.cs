using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LiveBoard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveBoard.Testing;

/// <summary>What API tests do against a running <see cref="LiveBoardHost"/>: sign in for a bearer token, open the database.</summary>
public static class ApiClients
{
    /// <summary>An HttpClient on <paramref name="root"/> carrying a bearer token for a (demo) account.</summary>
    /// <param name="local">the client address its connections leave from (<see cref="ClientAddresses"/>); null: 127.0.0.1</param>
    public static async Task<HttpClient> SignedInAsync(Uri root, string user, string password, string? local = null)
    {
        var http = local is null ? new HttpClient { BaseAddress = root } : new HttpClient(ClientAddresses.Handler(local)) { BaseAddress = root };
        var token = await http.PostAsJsonAsync("api/v1/auth/token", new { username = user, password });
        token.EnsureSuccessStatusCode();
        var json = await token.Content.ReadFromJsonAsync<JsonElement>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.GetProperty("accessToken").GetString());
        return http;
    }

    /// <summary>A short-lived context on the host's own SQLite file, to count what was (not) written.</summary>
    public static Task<LiveBoardDbContext> DbAsync(this LiveBoardHost host) =>
        host.Services.GetRequiredService<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync();
}
