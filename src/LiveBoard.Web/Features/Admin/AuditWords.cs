using Microsoft.Extensions.Localization;

namespace LiveBoard.Web.Features.Admin;

/// <summary>
/// The audit's stored codes (event kinds such as "login-succeeded", channels such as "api") in the reader's language,
/// for the audit page and its export alike. The stored rows keep the codes: they are what the filters and the API use.
/// </summary>
public static class AuditWords
{
    /// <summary>The event kind's name; a kind without a name in the resources shows as stored.</summary>
    public static string Kind(IStringLocalizer L, string kind) => Named(L, "AuditKind_" + kind, kind);

    /// <summary>The channel a change came through: 网页, 接口, 导入, 初始数据.</summary>
    public static string Channel(IStringLocalizer L, string? channel) => channel is null ? "" : Named(L, "Channel_" + channel, channel);

    private static string Named(IStringLocalizer L, string key, string fallback)
    {
        var text = L[key];
        return text.ResourceNotFound ? fallback : text.Value;
    }
}
