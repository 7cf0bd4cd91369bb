using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace LiveBoard.Web.Api;

/// <summary>Marks an API endpoint whose body is not JSON (a workbook upload): <see cref="JsonBodies"/> leaves it to the endpoint.</summary>
public sealed class RawBodyMetadata;

/// <summary>
/// The one rule every JSON body sent to /api meets before any endpoint reads it: declared as JSON (else 415), one
/// well-formed document, every string real text (valid UTF-8, no lone surrogates, no control characters but tab and
/// line breaks) and every number one that a number type can hold without turning into 0 or infinity (else 400). An
/// endpoint then reads fields without a way left to throw; what a field may hold is still the endpoint's rule.
/// </summary>
public static class JsonBodies
{
    public const int MaxDepth = 16;

    /// <summary>Why the body cannot be accepted (a problem result), or null when the endpoint may read it.</summary>
    public static async Task<IResult?> CheckAsync(HttpContext http)
    {
        var request = http.Request;
        if (!HttpMethods.IsPost(request.Method) && !HttpMethods.IsPut(request.Method) && !HttpMethods.IsPatch(request.Method)) return null;
        if (request.ContentLength is null or 0 && request.Headers.TransferEncoding.Count == 0) return null;
        if (http.GetEndpoint()?.Metadata.GetMetadata<RawBodyMetadata>() is not null) return null;
        if (!IsJson(request.ContentType))
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type",
                detail: "Send the body as application/json (UTF-8).");

        request.EnableBuffering(bufferThreshold: ApiRoutes.MaxBodyBytes, bufferLimit: ApiRoutes.MaxBodyBytes);
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = MaxDepth }, http.RequestAborted);
            if (FirstBadValue(doc.RootElement, "body") is { } bad)
                return Results.ValidationProblem(new Dictionary<string, string[]> { [bad.Path] = [bad.Reason] });
        }
        catch (JsonException e)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["Malformed JSON: " + e.Message] });
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ApiRoutes.TooLarge(http);
        }
        catch (IOException)
        {
            // The buffer's own limit, for a chunked body that grew past it.
            return ApiRoutes.TooLarge(http);
        }
        request.Body.Position = 0;
        return null;
    }

    /// <summary>application/json or a +json type, in UTF-8 (the only encoding JSON may travel in between systems, RFC 8259).</summary>
    public static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type)
        && (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.MediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
        && (!type.Charset.HasValue || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    /// <summary>The first value in <paramref name="element"/> that is not text or not a number, with its path.</summary>
    public static (string Path, string Reason)? FirstBadValue(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return TextProblem(element) is { } text ? (path, text) : null;
            case JsonValueKind.Number:
                return NumberProblem(element) is { } number ? (path, number) : null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                    if (FirstBadValue(item, $"{path}[{i++}]") is { } bad) return bad;
                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try { name = property.Name; }
                    catch (InvalidOperationException) { return (path, "A property name is not valid UTF-8 text."); }
                    if (TextProblem(name) is { } bad) return (path, "A property name: " + bad);
                    if (FirstBadValue(property.Value, path == "body" ? name : $"{path}.{name}") is { } inner) return inner;
                }
                return null;
            default:
                return null;
        }
    }

    private static string? TextProblem(JsonElement element)
    {
        try
        {
            return TextProblem(element.GetString()!);
        }
        catch (InvalidOperationException)
        {
            // Bytes that are not UTF-8, or an escaped surrogate without its pair: not text in any language.
            return "Not valid UTF-8 text (broken bytes or an unpaired surrogate).";
        }
    }

    private static string? TextProblem(string text)
    {
        foreach (var c in text)
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
                return "Control characters are not allowed in text.";
        return null;
    }

    private static string? NumberProblem(JsonElement element)
    {
        if (!element.TryGetDouble(out var value) || double.IsInfinity(value)) return "The number is too large.";
        if (value == 0)
        {
            // A literal such as 1e-400 reads as 0: the sender meant something else than what would be stored.
            var raw = element.GetRawText();
            var mantissa = raw.AsSpan(0, raw.IndexOfAny(['e', 'E']) is var e and >= 0 ? e : raw.Length);
            if (mantissa.IndexOfAnyInRange('1', '9') >= 0) return "The number is too small to be told from 0.";
        }
        return null;
    }
}
