using System.Text.Json.Nodes;
using LiveBoard.Web.Api;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace LiveBoard.Web.Operations.ApiDocs;

/// <summary>
/// The OpenAPI document of the push API (/openapi/v1.json) and its interactive reference (/api/docs). What each
/// operation takes and answers is declared here, in one table, from the outside of the endpoints, which read and write
/// JSON by hand.
/// </summary>
public static class ApiDocumentation
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/api/docs";
    public const string Bearer = "Bearer";
    public const string ProblemJson = "application/problem+json";

    /// <summary>One documented operation: its request body (with an example), success answer and error answers.</summary>
    private sealed record Operation(string Summary, Type? Request, JsonNode? RequestExample, int Success, Type? Response,
        bool Idempotent = false, bool Anonymous = false, IReadOnlyDictionary<int, Type>? Errors = null);

    /// <summary>An answer without a body: the bearer challenge (401), a role that may not call (403), the rate limit (429).</summary>
    private sealed class NoBody;

    private static readonly Dictionary<int, Type> ReadErrors = new() { [401] = typeof(NoBody), [403] = typeof(NoBody), [404] = typeof(NoBody) };

    private static readonly Dictionary<string, Operation> Operations = new(StringComparer.OrdinalIgnoreCase)
    {
        ["POST api/v1/auth/token"] = new("A bearer token for an account (valid LiveBoard:TokenLifetimeMinutes, default 60)",
            typeof(TokenRequest), new JsonObject { ["username"] = "reporter-hure", ["password"] = "Tongliao2023" }, 200, typeof(TokenResponse),
            Anonymous: true, Errors: new Dictionary<int, Type> { [400] = typeof(ValidationProblem), [401] = typeof(Problem), [429] = typeof(NoBody) }),
        ["GET api/v1/campaigns/current"] = new("The current campaign: its districts and headline indicators (codes, units, targets)",
            null, null, 200, typeof(CurrentCampaign), Errors: ReadErrors),
        ["POST api/v1/reports"] = new("Report one district's values (all or nothing); answered once durable",
            typeof(ReportBody), new JsonObject
            {
                ["district"] = "hure",
                ["values"] = new JsonArray(
                    new JsonObject { ["indicator"] = "signed-projects", ["value"] = 18, ["expectedVersion"] = 1, ["reason"] = "核实补报" },
                    new JsonObject { ["indicator"] = "funds-in-place", ["value"] = 6.5, ["reason"] = "7月29日到位资金" }),
            }, 201, typeof(Receipt), Idempotent: true, Errors: new Dictionary<int, Type>
            {
                [400] = typeof(ValidationProblem), [401] = typeof(NoBody), [403] = typeof(Problem), [409] = typeof(ConflictProblem),
                [413] = typeof(Problem), [422] = typeof(Problem), [429] = typeof(NoBody),
            }),
        ["GET api/v1/figures"] = new("Every district's current figures (?district= for one)", null, null, 200, typeof(IReadOnlyList<FigureRow>), Errors: ReadErrors),
        ["GET api/v1/rankings"] = new("The live ranking: composite with movement, and each indicator's", null, null, 200, typeof(Rankings), Errors: ReadErrors),
    };

    /// <summary>The operations this document describes in full, as "METHOD path".</summary>
    public static IReadOnlyCollection<string> Described => Operations.Keys;

    public static IServiceCollection AddApiDocumentation(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        o.ShouldInclude = d => d.RelativePath?.StartsWith(ApiRoutes.Prefix.TrimStart('/'), StringComparison.Ordinal) == true;
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "LiveBoard push API",
                Version = "v1",
                Description = "Districts' systems report figures for the inspection week (拉练); leaders' systems read figures and rankings. " +
                    "Sign in with POST /api/v1/auth/token, then send `Authorization: Bearer <accessToken>`. The browser's cookie is not accepted. " +
                    "Errors are application/problem+json. Writes carry an Idempotency-Key: the same key again returns the first answer and writes nothing.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                [Bearer] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer",
                    Description = "accessToken from POST /api/v1/auth/token",
                },
            };
            return Task.CompletedTask;
        });
        o.AddOperationTransformer(async (operation, context, ct) =>
        {
            var key = $"{context.Description.HttpMethod} {context.Description.RelativePath}";
            if (!Operations.TryGetValue(key, out var described)) return;
            operation.Summary = described.Summary;
            if (!described.Anonymous)
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] }];
            if (described.Idempotent)
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = "Idempotency-Key", In = ParameterLocation.Header, Required = false,
                    Description = "Your id for this write (≤ 200 characters), e.g. hure-2023-07-30-1. Sent again: the first answer, nothing written twice; with another body: 422.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200 },
                    Example = "hure-2023-07-30-1",
                });
            }
            if (described.Request is { } request)
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(request, null, ct), Example = described.RequestExample },
                    },
                };
            operation.Responses ??= [];
            operation.Responses.Clear();
            operation.Responses[described.Success.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = described.Success == 201 ? "Created" : "OK",
                Content = described.Response is { } response
                    ? new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(response, null, ct) } }
                    : null,
            };
            foreach (var (status, type) in described.Errors ?? new Dictionary<int, Type>())
                operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
                {
                    Description = ErrorDescription(status),
                    Content = type == typeof(NoBody)
                        ? null
                        : new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = await context.GetOrCreateSchemaAsync(type, null, ct) } },
                };
        });
    });

    private static string ErrorDescription(int status) => status switch
    {
        400 => "A field is missing or malformed; errors names each field",
        401 => "No bearer token, an expired one, or a wrong password",
        403 => "Not allowed for this account: a role that may not call this answers without a body; another district's report with a problem",
        404 => "No campaign loaded",
        409 => "expectedVersion is stale: conflicts show the current value and who set it",
        413 => "Body above 64 KB",
        422 => "The Idempotency-Key was used before with another body",
        429 => "Too many requests from this account or address this minute",
        _ => "Error",
    };

    public static void MapApiDocumentation(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath);
        // Its script is served from here; no fonts from Scalar's servers either (government networks often block them).
        app.MapScalarApiReference(ReferencePath, o => o.WithTitle("LiveBoard API").WithOpenApiRoutePattern(DocumentPath).DisableDefaultFonts());
    }
}
