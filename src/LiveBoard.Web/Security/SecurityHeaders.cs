using System.Security.Cryptography;

namespace LiveBoard.Web.Security;

/// <summary>
/// The headers every response carries (but a WebSocket's 101, below). The Content-Security-Policy allows this site's own scripts, styles, fonts,
/// images and WebSocket, and nothing else: Blazor Server needs no eval; the one inline script it writes (the import map)
/// carries this response's nonce; MudBlazor sets style attributes on its elements, hence 'unsafe-inline' for styles only
/// (styles cannot run code). Framing stays limited to this site (frame-ancestors, as the framework already sends).
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "liveboard.csp-nonce";

    /// <summary>This response's script nonce (App.razor puts it on the import map).</summary>
    public static string Nonce(HttpContext http)
    {
        if (http.Items[NonceKey] is string nonce) return nonce;
        // Hex, not base64: the renderer would write '+' and '/' as character references, which the test reads as text.
        nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        http.Items[NonceKey] = nonce;
        return nonce;
    }

    /// <param name="nonce">null: the page's inline scripts run without one (the API reference, below).</param>
    public static string Policy(string? nonce) =>
        "default-src 'self'; " +
        (nonce is null ? "script-src 'self' 'unsafe-inline'; " : $"script-src 'self' 'nonce-{nonce}'; ") +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "manifest-src 'self'; " +
        "worker-src 'self'; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'self'";

    public static void Apply(HttpContext http)
    {
        // A WebSocket's 101 carries no document for a policy to govern, and what goes on it stays with the connection for
        // its whole life: the policy with its nonce and the three headers Kestrel keeps in a dictionary of their own were
        // ~1.2 KB of every hub viewer's and wall's memory (heap dumps, BENCHMARKS.md, 2026-12-02).
        if (http.Response.StatusCode == StatusCodes.Status101SwitchingProtocols) return;
        var headers = http.Response.Headers;
        // The interactive API reference (Scalar) writes its configuration as an inline script it gives no nonce; the page
        // is static documentation of this server's own API, with nothing of a user's in it.
        headers.ContentSecurityPolicy = Policy(http.Request.Path.StartsWithSegments(Operations.ApiDocs.ApiDocumentation.ReferencePath, StringComparison.OrdinalIgnoreCase) ? null : Nonce(http));
        headers.XContentTypeOptions = "nosniff";
        // No address of ours (a display's path, a report's query) travels to another site in a Referer.
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
    }
}
