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
public static partial class ApiDocumentation
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/api/docs";
    public const string Bearer = "Bearer";
    public const string ProblemJson = "application/problem+json";

    /// <summary>One documented operation: its request body (with an example), success answer and error answers.</summary>
    private sealed record Operation(string Summary, Type? Request, JsonNode? RequestExample, int Success, Type? Response,
        bool Idempotent = false, bool Anonymous = false, IReadOnlyDictionary<int, Type>? Errors = null)
    {
        /// <summary>What the summary leaves out: who may call, what it changes, what a caller should know.</summary>
        public string? Description { get; init; }
        /// <summary>The body may be left out (an empty POST).</summary>
        public bool RequestOptional { get; init; }
        /// <summary>Without an Idempotency-Key the write is refused (400); otherwise the key is optional.</summary>
        public bool KeyRequired { get; init; } = true;
        /// <summary>This operation's own words for an error status where the general ones (<see cref="ErrorDescription"/>) do not fit.</summary>
        public IReadOnlyDictionary<int, string>? Says { get; init; }
    }

    /// <summary>An answer without a body: the bearer challenge (401), a role that may not call (403), the rate limit (429).</summary>
    private sealed class NoBody;

    /// <summary>An .xlsx workbook (request or answer).</summary>
    private sealed class Workbook;

    /// <summary>A campaign file as JSON (the format of docs/campaigns.md), described by reference rather than field by field.</summary>
    private sealed class CampaignFileJson;

    /// <summary>A campaign file as JSON or as a workbook with a sheet per part.</summary>
    private sealed class CampaignFileOrWorkbook;

    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly Dictionary<int, Type> ReadErrors = new() { [401] = typeof(NoBody), [403] = typeof(NoBody), [404] = typeof(NoBody) };

    /// <summary>The errors every bearer-token call can meet (401, and 403 for a role that may not call), and the operation's own.</summary>
    private static Dictionary<int, Type> Refusals(params (int Status, Type Body)[] own)
    {
        var errors = new Dictionary<int, Type> { [401] = typeof(NoBody), [403] = typeof(NoBody) };
        foreach (var (status, body) in own) errors[status] = body;
        return errors;
    }

    private const string OrganisersOnly = "Organisers only.";
    private const string NoCampaign = "No campaign is current (answers without a body)";
    private const string SiteUnknown = "No site with this id in the current campaign";
    private const string CampaignUnknown = "No campaign with this id";
    private const string ObjectExpected = "The body is not a JSON object, or a field is malformed (errors names it)";

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
            })
        {
            Says = new Dictionary<int, string> { [403] = "Not allowed for this account: a role that may not call this answers without a body; another district's report with a problem" },
        },
        ["GET api/v1/figures"] = new("Every district's current figures (?district= for one)", null, null, 200, typeof(IReadOnlyList<FigureRow>), Errors: ReadErrors),
        ["GET api/v1/rankings"] = new("The live ranking: composite with movement, and each indicator's", null, null, 200, typeof(Rankings), Errors: ReadErrors),

        // Screens.
        ["POST api/v1/displays"] = new("Set up a wall display: its name, playlist and theme; answers its key and the URL to open",
            typeof(LiveBoard.Web.Features.Display.CreateDisplayRequest), new JsonObject
            {
                ["name"] = "市政府大厅", ["slug"] = "city-hall", ["playlist"] = new JsonArray("composite", "indicators"), ["intervalSeconds"] = 20, ["theme"] = "dark",
            }, 201, typeof(LiveBoard.Web.Features.Display.CreateDisplayResponse), Errors: Refusals((400, typeof(ValidationProblem))))
        {
            Description = OrganisersOnly + " The key is returned this once only; the wall PC opens url (which carries it). " +
                "playlist and pinnedPanel take panel ids; theme is dark (default) or light; intervalSeconds defaults to 20.",
        },
        ["PUT api/v1/displays/{slug}/mode"] = new("Switch a wall display between its playlist and a day's review meeting",
            typeof(DisplayModeRequest), new JsonObject { ["mode"] = "meeting", ["day"] = "2023-07-30" }, 200, typeof(DisplayMode),
            Errors: Refusals((400, typeof(Problem)), (404, typeof(Problem)), (429, typeof(NoBody))))
        {
            Description = OrganisersOnly + " mode is meeting (with day, yyyy-MM-dd: the screen follows that evening's meeting while it runs) or playlist. " +
                "Setting the mode a screen already has changes nothing, so a retry is harmless.",
            Says = new Dictionary<int, string> { [400] = ObjectExpected, [404] = "No screen with this slug" },
        },

        // The inspection week: itinerary, visits, score sheets.
        ["GET api/v1/sites"] = new("The itinerary: every site to visit, in route order (?day=yyyy-MM-dd, ?group= to narrow it)",
            null, null, 200, typeof(IReadOnlyList<SiteItem>), Errors: Refusals((400, typeof(ValidationProblem))))
        {
            Description = "Observers, organisers and leaders. Each site with its visit state, the kilometres driven to it and how many observers scored it.",
            Says = new Dictionary<int, string> { [400] = "day is not a date (yyyy-MM-dd)" },
        },
        ["POST api/v1/sites"] = new("Add one site to the itinerary", typeof(SiteBody), SiteExample, 201, typeof(SitesChanged),
            Errors: Refusals((400, typeof(ValidationProblem))))
        {
            Description = OrganisersOnly + " A site takes a free slot (group, day, order) of a day of the campaign; status is Signed, Started or InProduction; " +
                "investments are in 亿元. Answers how many sites changed (1).",
            Says = new Dictionary<int, string> { [400] = "A column is missing or wrong, the district or group is unknown, the day is outside the campaign or the slot is taken: errors names each" },
        },
        ["PUT api/v1/sites/{id}"] = new("Change one site of the itinerary", typeof(SiteBody), SiteExample, 200, typeof(SitesChanged),
            Errors: Refusals((400, typeof(ValidationProblem)), (409, typeof(Problem))))
        {
            Description = OrganisersOnly + " The whole site, as for POST /api/v1/sites, with expectedVersion: the site's version (GET /api/v1/sites) " +
                "the change was made on. Answers how many sites changed (0 when nothing did).",
            Says = new Dictionary<int, string>
            {
                [400] = "A column is missing or wrong, the site is unknown, or the slot is another site's: errors names each",
                [409] = "expectedVersion is stale: someone changed the site since; nothing was written",
            },
        },
        ["DELETE api/v1/sites/{id}"] = new("Remove a site nobody has visited or scored", null, null, 204, null,
            Errors: Refusals((404, typeof(Problem)), (409, typeof(Problem))))
        {
            Description = OrganisersOnly + " A site with a visit or a score sheet stays: removing what was scored is a decision, not a side effect.",
            Says = new Dictionary<int, string> { [404] = SiteUnknown, [409] = "The site has visits or score sheets" },
        },
        ["POST api/v1/sites/{id}/visit"] = new("Mark a site arrived at or visited by the caller's touring group",
            typeof(VisitRequest), new JsonObject { ["kind"] = "Visited", ["kilometres"] = 42.5 }, 200, typeof(SiteItem),
            Errors: Refusals((400, typeof(ValidationProblem)), (403, typeof(Problem)), (404, typeof(Problem)), (429, typeof(NoBody))))
        {
            Description = "Observers of the site's group and organisers. The body is optional: an empty POST means visited. kind is Arrived or Visited; " +
                "kilometres (0–5000) is the distance driven to the site.",
            RequestOptional = true,
            Says = new Dictionary<int, string>
            {
                [400] = ObjectExpected, [403] = "A role that may not call answers without a body; a site of another touring group with a problem", [404] = SiteUnknown,
            },
        },
        ["POST api/v1/sites/{id}/close-scoring"] = new("Close a site's scoring: no sheet is accepted or changed after it", null, null, 204, null,
            Errors: Refusals((404, typeof(Problem))))
        {
            Description = OrganisersOnly + " Closing twice changes nothing.",
            Says = new Dictionary<int, string> { [404] = SiteUnknown },
        },
        ["GET api/v1/sites/{id}/scores"] = new("A site's score sheets and its score", null, null, 200, typeof(SiteScores),
            Errors: Refusals((404, typeof(Problem))))
        {
            Description = "Organisers and leaders. score is the mean of the sheets (highest and lowest dropped once enough observers scored: trimmed).",
            Says = new Dictionary<int, string> { [404] = SiteUnknown },
        },
        ["GET api/v1/sites/export"] = new("The itinerary as a workbook (the columns POST /api/v1/sites/import reads)", null, null, 200, typeof(Workbook),
            Errors: Refusals())
        {
            Description = OrganisersOnly,
        },
        ["POST api/v1/sites/import"] = new("Replace or add itinerary sites from a workbook (all or nothing)", typeof(Workbook), null, 200, typeof(SitesChanged),
            Errors: Refusals((400, typeof(ValidationProblem))))
        {
            Description = OrganisersOnly + " Columns district, group, day, order, name, nameEn, plannedInvestment, completedInvestment, status, description. " +
                "A row's slot (group, day, order) names the site it updates; sites not in the workbook stay.",
            Says = new Dictionary<int, string> { [400] = "Faults by row and column (\"row 3 / day\"); nothing was imported" },
        },
        ["POST api/v1/scores"] = new("Send an observer's score sheet for a visited site; answered once durable",
            typeof(ScoreSheetBody), new JsonObject
            {
                ["site"] = 3, ["structure"] = 22, ["efficiency"] = 20.5, ["service"] = 23, ["results"] = 21, ["gaps"] = "用地手续尚未办结", ["highlights"] = "当年签约当年开工",
            }, 201, typeof(LiveBoard.Web.Features.Inspection.ScoreReceipt), Idempotent: true,
            Errors: Refusals((400, typeof(ValidationProblem)), (403, typeof(Problem)), (404, typeof(Problem)), (409, typeof(Problem)), (422, typeof(Problem)),
                (429, typeof(NoBody))))
        {
            Description = "Observers, for sites of their touring group. Each dimension from 0 to its maximum (GET /api/v1/inspection/me); gaps and highlights up to 1000 characters. " +
                "Sending again replaces the observer's sheet (a new version). The offline scoring page sends each unsent sheet with its own Idempotency-Key.",
            Says = new Dictionary<int, string>
            {
                [400] = "A field is missing, malformed or above its maximum, or the Idempotency-Key is missing: errors names each",
                [403] = "A role that may not call answers without a body; a site of another touring group with a problem",
                [404] = SiteUnknown, [409] = "The site's scoring is closed",
            },
        },
        ["GET api/v1/grades"] = new("Districts' quarterly grades (好/较好/一般) by indicator (?quarter=2023Q2; default the latest)",
            null, null, 200, typeof(GradesAnswer), Errors: Refusals())
        {
            Description = "Organisers and leaders. quarters lists every quarter graded so far, oldest first.",
        },
        ["PUT api/v1/grades"] = new("Set one district's grade for an indicator and quarter", typeof(GradeBody),
            new JsonObject { ["district"] = "kailu", ["indicator"] = "be-credit", ["quarter"] = "2023Q2", ["grade"] = "较好", ["remark"] = "省营商环境评价" },
            200, typeof(GradeChange), Errors: Refusals((400, typeof(ValidationProblem)), (429, typeof(NoBody))))
        {
            Description = OrganisersOnly + " grade is 好, 较好 or 一般 (or good, fairly good, average); quarter is written 2023Q2. Answers the grade and the one it replaced.",
            Says = new Dictionary<int, string> { [400] = "A field is missing or malformed, or the district or indicator is unknown: errors names it" },
        },
        ["GET api/v1/inspection/settings"] = new("The scoring scheme: each dimension's maximum and weight, the trim threshold, the inspection and grade weights",
            null, null, 200, typeof(LiveBoard.Web.Data.InspectionSettings), Errors: Refusals((404, typeof(NoBody))))
        {
            Description = "Organisers and leaders.",
            Says = new Dictionary<int, string> { [404] = NoCampaign },
        },
        ["PUT api/v1/inspection/settings"] = new("Change the scoring scheme; every ranking is recomputed", typeof(LiveBoard.Web.Data.InspectionSettings), new JsonObject
            {
                ["structureMax"] = 25, ["efficiencyMax"] = 25, ["serviceMax"] = 25, ["resultsMax"] = 25, ["structureWeight"] = 1, ["efficiencyWeight"] = 1,
                ["serviceWeight"] = 1, ["resultsWeight"] = 1, ["trimThreshold"] = 5, ["inspectionWeight"] = 20, ["gradeWeight"] = 0,
            }, 200, typeof(LiveBoard.Web.Data.InspectionSettings), Errors: Refusals((400, typeof(ValidationProblem)), (404, typeof(NoBody))))
        {
            Description = OrganisersOnly + " Maxima 0–100 (exclusive of 0), weights 0–100 (not all dimensions 0), trim threshold 3–50; campaignId is ignored. " +
                "A changed inspectionWeight or gradeWeight needs \"reason\" beside the settings and becomes a new version of the campaign's weights " +
                "(as POST api/v1/campaigns/{id}/weights). Answers the settings as saved.",
            Says = new Dictionary<int, string> { [400] = "A value is out of range, or a component weight changes without a reason: errors names each field", [404] = NoCampaign },
        },
        ["GET api/v1/inspection/me"] = new("Who the caller is for the inspection: touring group, the campaign's today, each dimension's maximum points",
            null, null, 200, typeof(InspectionMe), Errors: new Dictionary<int, Type> { [401] = typeof(NoBody) })
        {
            Description = "Any signed-in account; group is null for accounts outside the touring groups, maxPoints null without a campaign.",
        },

        // Publications: the official record of a day.
        ["POST api/v1/rankings/publish"] = new("Publish the live ranking as the day's official ranking (a new version)",
            typeof(PublishRequest), new JsonObject { ["day"] = "2023-07-30", ["note"] = "7月30日晚点评会通报" }, 201, typeof(PublishedId), Idempotent: true,
            Errors: Refusals((400, typeof(Problem)), (404, typeof(Problem)), (422, typeof(Problem)), (429, typeof(NoBody))))
        {
            Description = OrganisersOnly + " The body is optional (day defaults to the campaign's today, note up to 1000 characters). " +
                "Movement is against the publication before. A backup of the database is taken after each publication.",
            RequestOptional = true,
            KeyRequired = false,
            Says = new Dictionary<int, string> { [400] = ObjectExpected, [404] = "No campaign is current" },
        },
        ["GET api/v1/rankings/published"] = new("Every publication of the current campaign, oldest first", null, null, 200,
            typeof(IReadOnlyList<LiveBoard.Web.Features.Meeting.PublicationSummary>), Errors: Refusals())
        {
            Description = "Organisers and leaders.",
        },
        ["GET api/v1/rankings/published/{id}"] = new("One publication as stored: the ranking announced and everything it was computed from",
            null, null, 200, typeof(PublishedDocument), Errors: Refusals((404, typeof(Problem))))
        {
            Description = "Organisers and leaders. The stored document itself, byte for byte on every read: figures, inspection scores, grades, " +
                "weights and settings, each indicator's standings and the composite with movement.",
            Says = new Dictionary<int, string> { [404] = "No publication with this id" },
        },
        ["GET api/v1/meeting/{day}/bulletin.xlsx"] = new("The evening meeting's bulletin for a day (yyyy-MM-dd) as a workbook", null, null, 200, typeof(Workbook),
            Errors: Refusals((404, typeof(NoBody))))
        {
            Description = "Organisers and leaders. The ranking announced that day, each district's figures and the sites visited with their scores.",
            Says = new Dictionary<int, string> { [404] = "Not a date, or nothing was published for that day (answers without a body)" },
        },

        // Campaigns.
        ["GET api/v1/campaigns"] = new("Every campaign: drafts, the current one and closed ones", null, null, 200,
            typeof(IReadOnlyList<LiveBoard.Web.Features.Campaigns.CampaignSummary>), Errors: Refusals())
        {
            Description = OrganisersOnly + " status: 0 draft, 1 active (current), 2 closed.",
        },
        ["POST api/v1/campaigns"] = new("Create a draft campaign from a campaign file (JSON, or a workbook with a sheet per part)",
            typeof(CampaignFileOrWorkbook), null, 201, typeof(CampaignCreated),
            Errors: Refusals((400, typeof(ValidationProblem)), (413, typeof(Problem)), (429, typeof(NoBody))))
        {
            Description = OrganisersOnly + " The file format is described in docs/campaigns.md (GET /api/v1/campaigns/{id}/export gives one to start from). " +
                "The draft becomes current with POST /api/v1/campaigns/{id}/activate.",
            Says = new Dictionary<int, string> { [400] = "The file is refused: errors lists every fault, keyed by where it is (a JSON Pointer)" },
        },
        ["GET api/v1/campaigns/{id}/export"] = new("A campaign as its campaign file (JSON)", null, null, 200, typeof(CampaignFileJson),
            Errors: Refusals((404, typeof(NoBody))))
        {
            Description = OrganisersOnly + " The file POST /api/v1/campaigns reads: a copy for next year starts from it.",
            Says = new Dictionary<int, string> { [404] = CampaignUnknown + " (answers without a body)" },
        },
        ["POST api/v1/campaigns/{id}/activate"] = new("Make a campaign the current one (every screen switches to it)", null, null, 200, typeof(CampaignActivated),
            Errors: Refusals((400, typeof(ValidationProblem)), (404, typeof(Problem)), (409, typeof(Problem)), (429, typeof(NoBody))))
        {
            Description = OrganisersOnly + " The campaign current before becomes closed. Activating the current campaign changes nothing.",
            Says = new Dictionary<int, string>
            {
                [400] = "The draft lacks what a running campaign needs (districts, a weighted indicator…): errors lists it",
                [404] = CampaignUnknown, [409] = "A closed campaign stays closed",
            },
        },
        ["POST api/v1/campaigns/{id}/weights"] = new("Change indicators' weights and targets, or the inspection and grade weights (a new weights version; rankings are recomputed)",
            typeof(WeightsBody), new JsonObject
            {
                ["reason"] = "市委常委会调整权重",
                ["indicators"] = new JsonObject { ["signed-projects"] = new JsonObject { ["weight"] = 20, ["target"] = 300 } },
            }, 200, typeof(WeightsVersion), Errors: Refusals((400, typeof(ValidationProblem)), (404, typeof(Problem)), (429, typeof(NoBody))))
        {
            Description = OrganisersOnly + " The current campaign only (a draft's weights are edited in its file). Indicators not named keep theirs, " +
                "and so do inspectionWeight and gradeWeight (the composite's inspection score and grades, 0–100) when absent; " +
                "a reason is required and goes into the audit log with the old and new weights.",
            Says = new Dictionary<int, string>
            {
                [400] = "The campaign is not the current one, the reason is missing, an indicator is unknown or a weight is not a number: errors lists each",
                [404] = CampaignUnknown,
            },
        },
        ["GET api/v1/campaigns/{id}/export.xlsx"] = new("A campaign as a workbook (a sheet per part; POST /api/v1/campaigns reads it back)",
            null, null, 200, typeof(Workbook), Errors: Refusals((404, typeof(NoBody))))
        {
            Description = OrganisersOnly,
            Says = new Dictionary<int, string> { [404] = CampaignUnknown + " (answers without a body)" },
        },
    };

    private static JsonObject SiteExample => new()
    {
        ["district"] = "kailu", ["group"] = "north", ["day"] = "2023-07-29", ["order"] = 1, ["name"] = "玉米生物精深加工项目", ["nameEn"] = "Corn bio-refining project",
        ["plannedInvestment"] = 32.0, ["completedInvestment"] = 18.5, ["status"] = "Started", ["description"] = "开鲁生物医药开发区",
    };

    /// <summary>The sections in the order a district's IT office meets them.</summary>
    private static readonly string[] SectionOrder = ["Reporting", "Inspection", "Publications", "Campaigns", "Wall displays"];

    /// <summary>The document's sections (each described once): the first whose prefix an operation's path starts with is its section.</summary>
    private static readonly (string Prefix, string Name, string Description)[] Areas =
    [
        ("api/v1/rankings/publish", "Publications", "The day's official ranking (the evening meeting's record) and its bulletin"),
        ("api/v1/meeting", "Publications", ""),
        ("api/v1/campaigns/current", "Reporting", "Sign in, report districts' figures, read figures and the live ranking"),
        ("api/v1/campaigns", "Campaigns", "Campaigns (organisers): create from a campaign file, export, reweight, make current"),
        ("api/v1/displays", "Wall displays", "Set up wall displays and switch them to the review meeting (organisers)"),
        ("api/v1/sites", "Inspection", "The inspection tour: itinerary, visits, observers' score sheets, grades and the scoring scheme"),
        ("api/v1/scores", "Inspection", ""),
        ("api/v1/grades", "Inspection", ""),
        ("api/v1/inspection", "Inspection", ""),
        ("api/v1/", "Reporting", ""),
    ];

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
            // Grouped by what a caller does, not by the classes that map the endpoints.
            document.Tags = Areas.Where(a => a.Description.Length > 0).OrderBy(a => Array.IndexOf(SectionOrder, a.Name))
                .Select(a => new OpenApiTag { Name = a.Name, Description = a.Description }).ToHashSet();
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
            // The table names routes as the document shows them: {id}, not the route's {id:int}.
            var key = $"{context.Description.HttpMethod} {RouteConstraint().Replace(context.Description.RelativePath ?? "", "{$1}")}";
            if (!Operations.TryGetValue(key, out var described)) return;
            operation.Summary = described.Summary;
            operation.Tags = new HashSet<OpenApiTagReference> { new(Areas.First(a => key.Split(' ')[1].StartsWith(a.Prefix, StringComparison.Ordinal)).Name, context.Document) };
            if (!described.Anonymous)
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] }];
            if (described.Description is { } description) operation.Description = description;
            if (described.Idempotent)
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = ApiRequests.IdempotencyHeader, In = ParameterLocation.Header, Required = described.KeyRequired,
                    Description = "Your id for this write (1–100 visible ASCII characters), e.g. hure-2023-07-30-1. Sent again: the first answer, nothing written twice; with another body: 422.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 100 },
                    Example = "hure-2023-07-30-1",
                });
            }
            if (described.Request is { } request)
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = !described.RequestOptional,
                    Content = await ContentAsync(request, "application/json", described.RequestExample, context, ct),
                };
            operation.Responses ??= [];
            operation.Responses.Clear();
            operation.Responses[described.Success.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = described.Success switch { 201 => "Created", 204 => "Done (no body)", _ => "OK" },
                Content = described.Response is { } response ? await ContentAsync(response, "application/json", null, context, ct) : null,
            };
            foreach (var (status, type) in described.Errors ?? new Dictionary<int, Type>())
                operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
                {
                    Description = described.Says?.GetValueOrDefault(status) ?? ErrorDescription(status),
                    Content = type == typeof(NoBody) ? null : await ContentAsync(type, ProblemJson, null, context, ct),
                };
        });
    });

    /// <summary>A body's media types and schemas: a workbook, a campaign file, or JSON described from its record.</summary>
    private static async Task<Dictionary<string, OpenApiMediaType>> ContentAsync(Type type, string mediaType, JsonNode? example,
        OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var content = new Dictionary<string, OpenApiMediaType>();
        if (type == typeof(CampaignFileJson) || type == typeof(CampaignFileOrWorkbook))
            content["application/json"] = new() { Schema = CampaignFileSchema() };
        if (type == typeof(Workbook) || type == typeof(CampaignFileOrWorkbook))
            content[XlsxType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
        if (content.Count == 0)
            content[mediaType] = new() { Schema = await context.GetOrCreateSchemaAsync(type, null, ct), Example = example };
        return content;
    }

    /// <summary>
    /// The campaign file's head, field by field; its parts (districts, indicators, touring groups, days, sites, figures,
    /// the previous ranking) are described in docs/campaigns.md, where a city preparing one reads.
    /// </summary>
    private static OpenApiSchema CampaignFileSchema()
    {
        static OpenApiSchema Of(JsonSchemaType type, string? format = null) => new() { Type = type, Format = format };
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "A campaign file (docs/campaigns.md), e.g. the demo's Data/Demo/tongliao-2023h1.json",
            Required = new HashSet<string> { "code", "name", "startDate", "endDate", "districts", "indicators" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["schemaVersion"] = Of(JsonSchemaType.Integer), ["code"] = Of(JsonSchemaType.String), ["name"] = Of(JsonSchemaType.String),
                ["nameEn"] = Of(JsonSchemaType.String), ["city"] = Of(JsonSchemaType.String), ["cityEn"] = Of(JsonSchemaType.String),
                ["startDate"] = Of(JsonSchemaType.String, "date"), ["endDate"] = Of(JsonSchemaType.String, "date"),
                ["districts"] = Of(JsonSchemaType.Array), ["indicators"] = Of(JsonSchemaType.Array),
            },
            AdditionalProperties = new OpenApiSchema(),
        };
    }

    private static string ErrorDescription(int status) => status switch
    {
        400 => "A field is missing or malformed; errors names each field",
        401 => "No bearer token, an expired one, or a wrong password",
        403 => "This account's role may not call this (answers without a body)",
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

    [System.Text.RegularExpressions.GeneratedRegex(@"\{(\w+):[^}]+\}")]
    private static partial System.Text.RegularExpressions.Regex RouteConstraint();
}
