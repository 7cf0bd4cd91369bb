using System.Security.Cryptography;
using System.Text.Json;
using LiveBoard.Web.Data;
using Microsoft.Extensions.Localization;

namespace LiveBoard.Web.Api;

/// <summary>
/// Reading API requests: bodies are parsed by hand so that any malformed input becomes a 400 naming the field, never a
/// 500; and the one Idempotency-Key convention of every write endpoint (reports, scores, publications).
/// </summary>
public static class ApiRequests
{
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>Reads the body as JSON within the size limit; any failure is the caller's (400 or 413), never ours.</summary>
    public static async Task<(JsonElement? Body, IResult? Problem)> ReadJsonAsync(HttpContext http)
    {
        try
        {
            using var doc = await JsonDocument.ParseAsync(http.Request.Body, new JsonDocumentOptions { MaxDepth = 16 }, http.RequestAborted);
            return (doc.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return (null, Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["Malformed JSON: " + e.Message] }));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, ApiRoutes.TooLarge(http));
        }
    }

    /// <summary>
    /// The Idempotency-Key header of a write to <paramref name="scope"/> (1–100 visible ASCII characters), with the hash of
    /// the body it came with; or a 400 naming the header.
    /// </summary>
    public static (Idempotency? Key, IResult? Problem) ReadIdempotency(HttpContext http, string scope, JsonElement body, IStringLocalizer L) =>
        ReadIdempotency(http, scope, HashOf(body), L);

    /// <summary>The same for a body that is not JSON (a workbook): the hash is of its bytes.</summary>
    public static (Idempotency? Key, IResult? Problem) ReadIdempotency(HttpContext http, string scope, ReadOnlySpan<byte> body, IStringLocalizer L) =>
        ReadIdempotency(http, scope, Convert.ToHexString(SHA256.HashData(body)), L);

    private static (Idempotency? Key, IResult? Problem) ReadIdempotency(HttpContext http, string scope, string bodyHash, IStringLocalizer L)
    {
        var key = http.Request.Headers[IdempotencyHeader].ToString();
        return key.Length is 0 or > 100 || key.Any(c => c is < '!' or > '~')
            ? (null, Results.ValidationProblem(new Dictionary<string, string[]> { [IdempotencyHeader] = [L["Api_IdempotencyKey"]] }))
            : (new Idempotency(scope, key, bodyHash), null);
    }

    /// <summary>
    /// The answer to a key seen before: the first answer again for a retry of the same request (<paramref name="answer"/>
    /// given the stored response), 422 when the key came with another body.
    /// </summary>
    public static IResult Replay<T>(IdempotencyRecord seen, Idempotency key, Func<T?, IResult> answer, IStringLocalizer L) =>
        key.IsRetryOf(seen)
            ? answer(seen.Read<T>())
            : Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: L["Api_IdempotencyReused"]);

    /// <summary>The body's optional "reason" (why a weight or target changed), when it is a string; otherwise null.</summary>
    public static string? ReasonOf(JsonElement? body) =>
        body is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;

    public static string HashOf(JsonElement body) => Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(body)));
}
